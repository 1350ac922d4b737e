//! Numbers as every output writes them, in one place for tables, charts, the report and the
//! terminal: fixed four decimals in the CSVs (exact and fast, the same bytes on every
//! machine), thousands separators for people, short readable numbers and intervals on the
//! terminal.

use caseload_experiment::Estimate;

/// A number as written in the CSVs: empty for undefined or infinite (a quantile not reached:
/// see the `not_reached` column), whole numbers without decimals, others with four decimals
/// (fixed, so files are byte-identical across platforms).
pub fn number(x: f64) -> String {
    let mut bytes = Vec::with_capacity(24);
    push_number(&mut bytes, x);
    String::from_utf8(bytes).expect("digits, a sign and a point are UTF-8")
}

/// Appends [`number`]`(x)` to `out`, without allocating.
pub fn push_number(out: &mut Vec<u8>, x: f64) {
    let mut digits = itoa::Buffer::new();
    if !x.is_finite() {
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        // An integer below 1e15 converts exactly; the sign of a zero is kept, as `{:.0}`
        // keeps it.
        if x == 0.0 && x.is_sign_negative() {
            out.push(b'-');
        }
        out.extend_from_slice(digits.format(x as i64).as_bytes());
    } else if x.abs() < 1e15 {
        let units = four_decimal_units(x);
        if x.is_sign_negative() {
            out.push(b'-');
        }
        out.extend_from_slice(digits.format(units / 10_000).as_bytes());
        let fraction = (units % 10_000) as u16;
        out.extend_from_slice(&[
            b'.',
            b'0' + (fraction / 1000) as u8,
            b'0' + (fraction / 100 % 10) as u8,
            b'0' + (fraction / 10 % 10) as u8,
            b'0' + (fraction % 10) as u8,
        ]);
    } else {
        out.extend_from_slice(format!("{x:.4}").as_bytes());
    }
}

/// `|x|` times 10,000, rounded to nearest with ties to even, for a finite `x` below 1e15 in
/// size: what `format!("{x:.4}")` writes, without the point, by exact integer arithmetic (the
/// standard library's exact path, Grisu with a bignum Dragon fallback, spent over half of a
/// run's instructions on the tables). `x` is `m` times 2 to the `e` exactly, so the product
/// is `m` times 10,000 shifted.
fn four_decimal_units(x: f64) -> u64 {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    let scaled = u128::from(mantissa) * 10_000;
    let units = if exponent >= 0 {
        scaled << exponent
    } else {
        let shift = -exponent as u32;
        if shift >= 128 {
            0
        } else {
            let whole = scaled >> shift;
            let rest = scaled & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            if rest > half || (rest == half && whole & 1 == 1) {
                whole + 1
            } else {
                whole
            }
        }
    };
    // Below 1e15 times 10,000: fits.
    units as u64
}

/// `x` with thousands separators and `decimals` decimals, e.g. `12,225.9`; "-" if not finite.
pub fn grouped(x: f64, decimals: usize) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "not reached" } else { "-" }.into();
    }
    if !x.is_finite() {
        return "-".into();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// A number for the terminal: thousands as whole numbers with separators (`12,226`), small
/// values with a few decimals.
pub fn readable(x: f64) -> String {
    readable_at(x, terminal_decimals(x))
}

/// The decimals the terminal gives a number of `x`'s size: none from 1,000, one from 10,
/// three below.
fn terminal_decimals(x: f64) -> usize {
    if x.abs() >= 1000.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        3
    }
}

/// `x` with `decimals` decimals and thousands separators; "-" if undefined.
fn readable_at(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        "-".into()
    } else {
        grouped(x, decimals)
    }
}

/// An estimate as the terminal shows it: `2.97 [2.94, 3.00]` (mean and 95 % interval);
/// `not reached in 3 of 20 replications` when a quantile was beyond what some replications
/// observed; the mean alone, marked, when fewer than two replications allow no interval.
pub fn with_interval(e: &Estimate) -> String {
    if e.n == 0 {
        "-".into()
    } else if e.not_reached > 0 {
        format!("not reached in {} of {} replications", e.not_reached, e.n)
    } else if !e.has_interval() {
        format!("{} (no interval from one replication)", readable(e.mean))
    } else if e.lo == e.hi {
        format!("{} (the same in every replication)", readable(e.mean))
    } else {
        // One precision for the three, the largest's: `11.2 [0.0, 26.4]`, not `[0.000, 26.4]`.
        let d = terminal_decimals(e.mean.abs().max(e.lo.abs()).max(e.hi.abs()));
        format!(
            "{} [{}, {}]",
            readable_at(e.mean, d),
            readable_at(e.lo, d),
            readable_at(e.hi, d)
        )
    }
}
