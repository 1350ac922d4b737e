//! Errors in scenario files, each naming the file, line and column, the field path and what
//! was expected, with the offending line quoted.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// One step of a field path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key of a table.
    Key(String),
    /// An element of an array.
    Index(usize),
}

/// A field's position in the document, e.g. `teams.north.strength` or `case_types.rape.stages[1]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    /// The empty path (the whole document).
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_string()));
        Self(segments)
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        Self(segments)
    }

    /// Parses a dotted path as written on a command line or in a variant's `set`:
    /// `teams.north.strength`, `case_types.rape.stages[0].work.mean`, `teams."CAIT 1".strength`.
    pub fn parse(text: &str) -> Result<Self, FieldPathError> {
        Self::parse_text(text).map_err(|message| FieldPathError {
            path: text.to_string(),
            message,
        })
    }

    fn parse_text(text: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut chars = text.chars().peekable();
        let mut expect_key = true;
        while let Some(&c) = chars.peek() {
            match c {
                '.' if !expect_key => {
                    chars.next();
                    expect_key = true;
                }
                '[' => {
                    chars.next();
                    let digits: String = chars.by_ref().take_while(|&d| d != ']').collect();
                    let index = digits
                        .trim()
                        .parse()
                        .map_err(|_| format!("`[{digits}]` in `{text}` is not an array index"))?;
                    segments.push(Segment::Index(index));
                    expect_key = false;
                }
                '"' if expect_key => {
                    chars.next();
                    let key: String = chars.by_ref().take_while(|&d| d != '"').collect();
                    segments.push(Segment::Key(key));
                    expect_key = false;
                }
                _ if expect_key => {
                    let mut key = String::new();
                    while let Some(&d) = chars.peek() {
                        if d == '.' || d == '[' {
                            break;
                        }
                        key.push(d);
                        chars.next();
                    }
                    let key = key.trim();
                    if key.is_empty() {
                        return Err(format!("`{text}` has an empty key"));
                    }
                    segments.push(Segment::Key(key.to_string()));
                    expect_key = false;
                }
                _ => {
                    return Err(format!(
                        "`{text}` is not a field path like `teams.north.strength`"
                    ));
                }
            }
        }
        if segments.is_empty() || expect_key {
            return Err(format!(
                "`{text}` is not a field path like `teams.north.strength`"
            ));
        }
        Ok(Self(segments))
    }
}

/// Text that is not a field path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldPathError {
    /// The text as written.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    let bare = !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    if bare {
                        f.write_str(key)?;
                    } else {
                        write!(f, "\"{key}\"")?;
                    }
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScenarioError {
    /// The file at fault.
    pub file: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub position: Option<(u32, u32)>,
    /// The field at fault, when there is one.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// The offending line, with a caret under the column.
    pub excerpt: Option<Box<str>>,
    /// What was being done, e.g. `at sweep point 3 (teams.cait.establishment=12)`.
    pub during: Option<Box<str>>,
}

impl std::error::Error for ScenarioError {}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(during) = &self.during {
            write!(f, "{during}: ")?;
        }
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        f.write_str(": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(excerpt) = &self.excerpt {
            write!(f, "\n{excerpt}")?;
        }
        Ok(())
    }
}

impl ScenarioError {
    /// An error about the file as a whole (unreadable, not text, too large).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            position: None,
            field: None,
            message: message.into(),
            excerpt: None,
            during: None,
        }
    }

    /// The same error, saying what was being done.
    pub fn context(mut self, during: impl Into<String>) -> Self {
        self.during = Some(during.into().into_boxed_str());
        self
    }

    /// An error at a byte range of the file's text.
    pub fn at(
        file: &Path,
        text: &str,
        span: Option<Range<usize>>,
        field: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        let (position, excerpt) = match span {
            Some(span) => {
                let (line, column, excerpt) = excerpt(text, span);
                let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                (
                    Some((narrow(line), narrow(column))),
                    Some(excerpt.into_boxed_str()),
                )
            }
            None => (None, None),
        };
        Self {
            file: file.to_path_buf(),
            position,
            field: field.filter(|f| !f.is_empty()),
            message: message.into(),
            excerpt,
            during: None,
        }
    }
}

/// 1-based line and column of `span.start`, and the line quoted with carets under the span.
fn excerpt(text: &str, span: Range<usize>) -> (usize, usize, String) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_no = text[..start].matches('\n').count() + 1;
    let line_text = text[line_start..line_end].trim_end_matches('\r');
    let column = text[line_start..start].chars().count() + 1;
    const MAX_WIDTH: usize = 100;
    let shown: String = line_text.chars().take(MAX_WIDTH).collect();
    let width = text[start..floor_char_boundary(text, span.end.min(line_end).max(start))]
        .chars()
        .count()
        .clamp(1, MAX_WIDTH.saturating_sub(column - 1).max(1));
    let gutter = " ".repeat(line_no.to_string().len());
    let caret = format!(
        "{}{}",
        " ".repeat((column - 1).min(MAX_WIDTH)),
        "^".repeat(width)
    );
    let excerpt = format!("{gutter} |\n{line_no} | {shown}\n{gutter} | {caret}");
    (line_no, column, excerpt)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Byte range in `text` of the deepest part of `path` that exists, preferring the key itself
/// for a table entry. `None` if the text does not parse or the path's first step is absent.
pub(crate) fn locate(text: &str, path: &FieldPath) -> Option<Range<usize>> {
    let document = DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut found: Option<Range<usize>> = None;
    let mut value: Option<&DeValue<'_>> = None;
    for segment in &path.0 {
        match (segment, value) {
            (Segment::Key(key), None) => {
                let (k, v) = table.get_key_value(key.as_str())?;
                found = Some(k.span());
                value = Some(v.get_ref());
                if let DeValue::Table(t) = v.get_ref() {
                    table = t;
                }
            }
            (Segment::Key(key), Some(DeValue::Table(t))) => {
                let Some((k, v)) = t.get_key_value(key.as_str()) else {
                    break;
                };
                found = Some(k.span());
                value = Some(v.get_ref());
            }
            (Segment::Index(i), Some(DeValue::Array(items))) => {
                let Some(item) = items.get(*i) else {
                    break;
                };
                found = Some(item.span());
                value = Some(item.get_ref());
            }
            _ => break,
        }
    }
    found
}
