//! Diagnostics: what went wrong in a user's file, where, and what to do.
//!
//! Positions are byte offsets into the file's text, turned into `line:col`
//! only here, when a message is printed. The same text is shown in the
//! terminal and in the serve overlay.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file: the line and column of a byte span, with the line's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The text of that line, without its line break.
    pub line_text: String,
    /// How many characters to underline (at least 1).
    pub width: usize,
}

impl Location {
    /// Locates the byte span `start..end` of `text`. Offsets past the end or
    /// inside a character are moved back to the nearest character boundary.
    pub fn of_span(text: &str, start: usize, end: usize) -> Location {
        let start = floor_char_boundary(text, start);
        let end = floor_char_boundary(text, end.max(start));
        let line_start = text.get(..start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        let line_end =
            text.get(start..).and_then(|t| t.find('\n')).map_or(text.len(), |i| start + i);
        let line = text.get(..start).map_or(0, |t| t.matches('\n').count()) + 1;
        let before = text.get(line_start..start).unwrap_or("");
        let line_text = text.get(line_start..line_end).unwrap_or("").trim_end_matches('\r');
        let underlined = text.get(start..end.min(line_end)).unwrap_or("");
        Location {
            line,
            column: before.chars().count() + 1,
            line_text: line_text.to_string(),
            width: underlined.chars().count().max(1),
        }
    }

    /// The start of a 1-based line (for errors that only know the line).
    pub fn of_line(text: &str, line: usize) -> Location {
        let offset: usize =
            text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
        let width =
            text.get(offset..).and_then(|t| t.lines().next()).map_or(1, |l| l.chars().count());
        Location { width: width.max(1), ..Location::of_span(text, offset, offset) }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// One error about one of the user's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { path: path.into(), location: None, message: message.into(), help: None }
    }

    /// Points the error at a place in the file.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Says what to do.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The path shown in messages.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        match &self.location {
            Some(loc) => {
                // rustc's layout: the gutter is as wide as the line number.
                let gutter = " ".repeat(loc.line.to_string().len() + 1);
                writeln!(f, "{gutter}--> {}:{}:{}", self.path.display(), loc.line, loc.column)?;
                writeln!(f, "{gutter} |")?;
                writeln!(f, " {} | {}", loc.line, loc.line_text)?;
                let pad = " ".repeat(loc.column.saturating_sub(1));
                write!(f, "{gutter} | {pad}{}", "^".repeat(loc.width))?;
                if let Some(help) = &self.help {
                    write!(f, "\n{gutter} = help: {help}")?;
                }
            }
            None => {
                write!(f, "  --> {}", self.path.display())?;
                if let Some(help) = &self.help {
                    write!(f, "\n   = help: {help}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_becomes_line_and_column() {
        let text = "Title\nPublished Date: 26 April\n";
        let start = text.find("26").unwrap();
        let loc = Location::of_span(text, start, start + 8);
        assert_eq!((loc.line, loc.column, loc.width), (2, 17, 8));
        assert_eq!(loc.line_text, "Published Date: 26 April");
    }

    #[test]
    fn message_has_the_shared_shape() {
        let text = "Title\nPublished Date: 26 April\n";
        let d = Diagnostic::new("content/blinken.txt", "unknown date format \"26 April\"")
            .at(Location::of_span(text, 22, 30))
            .help("write the date as 4/26/2024 or 2024-04-26");
        assert_eq!(
            d.to_string(),
            "error: unknown date format \"26 April\"\n  --> content/blinken.txt:2:17\n   |\n 2 | Published Date: 26 April\n   |                 ^^^^^^^^\n   = help: write the date as 4/26/2024 or 2024-04-26"
        );
    }
}
