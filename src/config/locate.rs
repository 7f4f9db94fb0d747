//! Where a key or value stands in a TOML file, read from the parsed tree
//! (never by searching the text, which finds comments and look-alike keys).

use std::ops::Range;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;
use crate::source::SourceFile;

/// One key of a TOML file with its dotted path (`fonts.title`,
/// `sections.1.name`), the key's span and its value's span.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    key: Range<usize>,
    value: Range<usize>,
    /// The value, when it is a string.
    string: Option<String>,
}

/// Every key and value of a TOML file, in file order.
#[derive(Debug, Clone, Default)]
pub struct TomlIndex {
    entries: Vec<Entry>,
}

impl TomlIndex {
    /// Index `text`; what cannot be parsed is simply not indexed.
    pub fn new(text: &str) -> TomlIndex {
        let (table, _errors) = DeTable::parse_recoverable(text);
        let mut entries = Vec::new();
        collect_table(table.get_ref(), "", &mut entries);
        entries.sort_by_key(|e| e.key.start);
        TomlIndex { entries }
    }

    fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// The span of the key at `path`.
    pub fn key(&self, path: &str) -> Option<Range<usize>> {
        self.entry(path).map(|e| e.key.clone())
    }

    /// The span of the value at `path` (with quotes, for a string).
    pub fn value(&self, path: &str) -> Option<Range<usize>> {
        self.entry(path).map(|e| e.value.clone())
    }

    /// The span of the first string value equal to `s`, preferring values
    /// under `prefix` (e.g. `footer.`).
    pub fn string(&self, s: &str, prefix: &str) -> Option<Range<usize>> {
        let is = |e: &&Entry| e.string.as_deref() == Some(s);
        self.entries
            .iter()
            .filter(is)
            .find(|e| e.path.starts_with(prefix))
            .or_else(|| self.entries.iter().find(is))
            .map(|e| e.value.clone())
    }

    /// Every string value: its dotted path, its span (with quotes) and
    /// its value, in file order.
    pub fn strings(&self) -> impl Iterator<Item = (&str, Range<usize>, &str)> {
        self.entries.iter().filter_map(|e| {
            e.string
                .as_deref()
                .map(|v| (e.path.as_str(), e.value.clone(), v))
        })
    }

    /// The first string value that contains `s`, and the span of that value.
    pub fn string_containing(&self, s: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|e| e.string.as_deref().is_some_and(|v| v.contains(s)))
            .map(|e| e.value.clone())
    }
}

fn collect_table(table: &DeTable<'_>, prefix: &str, out: &mut Vec<Entry>) {
    for (k, v) in table.iter() {
        let path = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        collect_value(v.get_ref(), path, k.span(), v.span(), out);
    }
}

fn collect_value(
    v: &DeValue<'_>,
    path: String,
    key: Range<usize>,
    span: Range<usize>,
    out: &mut Vec<Entry>,
) {
    match v {
        DeValue::Table(t) => collect_table(t, &path, out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                // An element has no key of its own: its span stands for it.
                let s = item.span();
                collect_value(item.get_ref(), format!("{path}.{i}"), s.clone(), s, out);
            }
        }
        _ => {}
    }
    out.push(Entry {
        string: v.as_str().map(str::to_string),
        path,
        key,
        value: span,
    });
}

/// A TOML file with its index: turns paths into located diagnostics.
#[derive(Debug, Clone)]
pub struct Located {
    pub source: Arc<SourceFile>,
    pub index: Arc<TomlIndex>,
}

impl Located {
    pub fn new(source: Arc<SourceFile>) -> Located {
        let index = Arc::new(TomlIndex::new(&source.text));
        Located { source, index }
    }

    /// `d` pointed at `span`, or at the file when there is none.
    pub fn attach(&self, d: Diagnostic, span: Option<Range<usize>>) -> Diagnostic {
        match span {
            Some(s) => Diagnostic {
                location: Some(self.source.locate(s)),
                ..d
            },
            None => d.in_file(&self.source.path),
        }
    }

    /// `d` pointed at the key at `path`.
    pub fn at_key(&self, d: Diagnostic, path: &str) -> Diagnostic {
        self.attach(d, self.index.key(path))
    }

    /// `d` pointed at the value at `path`.
    pub fn at_value(&self, d: Diagnostic, path: &str) -> Diagnostic {
        self.attach(d, self.index.value(path))
    }

    pub fn error_at_key(&self, path: &str, code: &'static str, msg: &str) -> Diagnostic {
        self.at_key(Diagnostic::error(code, msg.to_string()), path)
    }

    pub fn error_at_value(&self, path: &str, code: &'static str, msg: &str) -> Diagnostic {
        self.at_value(Diagnostic::error(code, msg.to_string()), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_the_tree_not_the_text() {
        let text = "# the name of the section\ntotal_number = 3\nnumber = 4\n\
                    [[sections]]\nname = \"a\"\n[[sections]]\nname = \"\"\n\
                    [fonts]\ntitle = \"X\"\n";
        let ix = TomlIndex::new(text);
        let at = |r: Range<usize>| &text[r];
        assert_eq!(
            ix.key("number").map(|r| r.start),
            text.find("\nnumber").map(|p| p + 1)
        );
        assert_eq!(at(ix.key("sections.1.name").unwrap()), "name");
        assert_eq!(
            ix.key("sections.1.name").unwrap().start,
            text.rfind("name =").unwrap()
        );
        assert_eq!(
            ix.key("fonts.title").unwrap().start,
            text.rfind("title").unwrap()
        );
        assert_eq!(at(ix.value("sections.0.name").unwrap()), "\"a\"");
        assert_eq!(ix.string("X", "fonts."), ix.value("fonts.title"));
        assert!(ix.key("title").is_none());
    }
}
