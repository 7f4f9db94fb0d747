//! A submission's Markdown body (CommonMark via pulldown-cmark) turned into
//! the model's blocks. Raw HTML is dropped with a warning, links other than
//! http, https and mailto lose their target, images must stay inside the
//! workspace.

use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Align, Block, Image, Inline, Run, Style, Table};
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::source::SourceFile;

enum Container {
    Quote(Vec<Block>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
}

#[derive(Clone, Copy, PartialEq)]
enum InlineKind {
    Para,
    Heading(u8),
}

struct PendingImage {
    src: String,
    title: String,
    alt: String,
    offset: usize,
    span: std::ops::Range<usize>,
}

/// A table being read: its alignments, rows so far and the row open.
struct TableBuild {
    align: Vec<Align>,
    header: Vec<Block>,
    rows: Vec<Vec<Block>>,
    row: Vec<Block>,
    offset: usize,
}

struct Builder<'a> {
    source: &'a SourceFile,
    root: &'a Path,
    base: usize,
    blocks: Vec<Block>,
    stack: Vec<Container>,
    inline: Option<(InlineKind, Vec<Inline>)>,
    strong: u32,
    emphasis: u32,
    links: Vec<Option<String>>,
    image: Option<PendingImage>,
    /// Text of a code block being read: (text, body range) pieces. A
    /// bulletin has no code: it prints as plain paragraphs.
    code: Option<Vec<(String, std::ops::Range<usize>)>>,
    /// What ends the HTML being skipped inside an HTML block (a comment,
    /// a script or a style), whose text is not prose.
    html_skip: Option<&'static str>,
    soft_break: bool,
    diags: Diagnostics,
    /// Containers opened beyond [`MAX_DEPTH`]: their content goes to the
    /// deepest kept container, so the model stays shallow.
    flattened: usize,
    /// HTML warnings given so far (only the first few are located).
    html_warnings: usize,
    image_errors: usize,
    /// Line index of the file, made at the first error.
    index: Option<LineIndex>,
    /// The table being read, if any.
    table: Option<TableBuild>,
}

/// Deepest nesting of quotes and lists kept in the model. Deeper input is
/// flattened (with a warning) so that nothing downstream recurses deeply.
pub const MAX_DEPTH: usize = 24;

/// HTML warnings reported one by one per file; the rest are counted.
const MAX_HTML_WARNINGS: usize = 20;

/// Image errors reported one by one per file; the rest are counted.
const MAX_IMAGE_ERRORS: usize = 50;

/// Only these link schemes survive into any output.
pub fn safe_link(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        Some(u.to_string())
    } else {
        None
    }
}

impl<'a> Builder<'a> {
    fn push_block(&mut self, b: Block) {
        match self.stack.last_mut() {
            Some(Container::Quote(v)) | Some(Container::Item(v)) => v.push(b),
            Some(Container::List { items, .. }) => {
                // Content directly in a list: start an item for it.
                items.push(vec![b]);
            }
            None => self.blocks.push(b),
        }
    }

    /// The open inline content, finished (bold paired, leading spaces and
    /// trailing breaks gone), and its kind.
    fn take_inline(&mut self) -> Option<(InlineKind, Vec<Inline>)> {
        let (kind, mut inlines) = self.inline.take()?;
        inlines = pair_cjk_strong(inlines);
        trim_leading_spaces(&mut inlines);
        while matches!(inlines.last(), Some(Inline::Break)) {
            inlines.pop();
        }
        Some((kind, inlines))
    }

    fn close_inline(&mut self) {
        if let Some((kind, inlines)) = self.take_inline() {
            if inlines.is_empty() {
                return;
            }
            let top = self.stack.is_empty() && self.table.is_none();
            let b = match kind {
                InlineKind::Para
                    if top && lead_line_level(&super::plain_text(&inlines)).is_some() =>
                {
                    Block::Heading {
                        level: lead_line_level(&super::plain_text(&inlines)).unwrap_or(1),
                        content: inlines,
                    }
                }
                InlineKind::Para => Block::Paragraph(inlines),
                InlineKind::Heading(level) => Block::Heading {
                    level,
                    content: inlines,
                },
            };
            self.push_block(b);
        }
        self.soft_break = false;
    }

    fn ensure_inline(&mut self) -> &mut Vec<Inline> {
        if self.inline.is_none() {
            self.inline = Some((InlineKind::Para, Vec::new()));
        }
        &mut self.inline.as_mut().expect("inline context just opened").1
    }

    fn style(&self) -> Style {
        Style {
            strong: self.strong > 0,
            emphasis: self.emphasis > 0,
            code: false,
        }
    }

    fn text(&mut self, text: &str, range: std::ops::Range<usize>, code: bool) {
        if let Some(img) = &mut self.image {
            img.alt.push_str(text);
            return;
        }
        if let Some(buf) = &mut self.code {
            buf.push((text.to_string(), range));
            return;
        }
        let body = &self.source.text[self.base..];
        let exact = body.get(range.clone()) == Some(text);
        let mut offset = self.base + range.start;
        let mut owned = text.to_string();
        let mut exact_run = exact;
        if self.soft_break {
            self.soft_break = false;
            let prev = last_char(
                self.inline
                    .as_ref()
                    .map(|(_, v)| v.as_slice())
                    .unwrap_or(&[]),
            );
            let next = text.chars().next();
            let latin =
                |c: Option<char>| c.is_some_and(|c| !crate::text::is_wide(c) && !c.is_whitespace());
            if latin(prev) && latin(next) {
                owned.insert(0, ' ');
                if offset > 0 {
                    offset -= 1;
                } else {
                    exact_run = false;
                }
            }
        }
        let style = Style {
            code,
            ..self.style()
        };
        let link = self.links.last().cloned().flatten();
        let run = Run {
            text: owned,
            style,
            link,
            offset,
            exact: exact_run,
        };
        self.ensure_inline().push(Inline::Text(run));
    }

    fn warn_html(&mut self, range: std::ops::Range<usize>) {
        let span = self.base + range.start..self.base + range.end;
        // A review waiver (`<!-- bulletin:allow P013 理由 -->`) is meant
        // for `bulletin check`; like all HTML it is never printed.
        let html = self.source.text.get(span.clone()).unwrap_or("").trim();
        if is_waiver_comment(html) {
            return;
        }
        self.html_warnings += 1;
        if self.html_warnings > MAX_HTML_WARNINGS {
            return;
        }
        let what = match tag_name(html) {
            Some(name) => format!("HTML 标记 <{name}> 已去掉，其中的文字照常印出"),
            None => "正文里的 HTML 注释不会出现在刊物中，已忽略".to_string(),
        };
        let index = self
            .index
            .get_or_insert_with(|| LineIndex::new(&self.source.text));
        self.diags.push(
            Diagnostic::warning("W001", what)
                .at_indexed(&self.source.path, &self.source.text, index, span)
                .with_hint("用 Markdown 写格式：**加粗**、*楷体强调*、空行分段"),
        );
    }

    /// One HTML tag or comment (inline or inside an HTML block): warned
    /// about, and what it means for the text kept: bold and italic tags
    /// style it, block tags end the paragraph, `<br>` breaks the line.
    fn html_tag(&mut self, html: &str, range: std::ops::Range<usize>, block: bool) {
        self.warn_html(range);
        let Some(name) = tag_name(html) else { return };
        let closing = name.starts_with('/');
        let bare = name.trim_start_matches('/').to_ascii_lowercase();
        match bare.as_str() {
            "b" | "strong" => {
                if closing {
                    self.strong = self.strong.saturating_sub(1);
                } else {
                    self.strong += 1;
                }
            }
            "i" | "em" => {
                if closing {
                    self.emphasis = self.emphasis.saturating_sub(1);
                } else {
                    self.emphasis += 1;
                }
            }
            "br" => {
                self.soft_break = false;
                if self.inline.is_some() {
                    self.ensure_inline().push(Inline::Break);
                }
            }
            "script" | "style" if !closing && !html.ends_with("/>") => {
                self.html_skip = Some(if bare == "script" {
                    "</script"
                } else {
                    "</style"
                });
            }
            "p" | "div" | "li" | "ul" | "ol" | "table" | "tr" | "td" | "th" | "h1" | "h2"
            | "h3" | "h4" | "h5" | "h6" | "section" | "article" | "blockquote" | "hr"
                if block =>
            {
                self.close_inline();
            }
            _ => {}
        }
    }

    /// One line of an HTML block: tags dropped (each warned about), the
    /// text between them kept as paragraphs.
    fn html_block_line(&mut self, line: &str, range: std::ops::Range<usize>) {
        let mut i = 0;
        // A new line of the block continues the paragraph.
        if self.inline.is_some() {
            self.soft_break = true;
        }
        while i < line.len() {
            if let Some(end) = self.html_skip {
                let hay = line[i..].to_ascii_lowercase();
                match hay.find(end) {
                    Some(k) => {
                        self.html_skip = None;
                        i += if end == "-->" { k + 3 } else { k };
                        continue;
                    }
                    None => return,
                }
            }
            let rest = &line[i..];
            if rest.starts_with("<!--") {
                let len = rest.find("-->").map_or(rest.len(), |k| k + 3);
                let at = range.start + i..range.start + i + len;
                self.warn_html(at);
                if !rest[..len].ends_with("-->") {
                    self.html_skip = Some("-->");
                }
                i += len;
                continue;
            }
            if rest.starts_with('<')
                && let Some(len) = tag_len(rest)
            {
                let at = range.start + i..range.start + i + len;
                self.html_tag(&rest[..len], at, true);
                i += len;
                continue;
            }
            // Text up to the next tag.
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let next = rest[first..].find('<').map_or(rest.len(), |k| k + first);
            let piece = &rest[..next];
            let trimmed = piece.trim_end_matches(['\n', '\r']);
            let lead = trimmed.len() - trimmed.trim_start().len();
            let t = trimmed.trim();
            if !t.is_empty() {
                let at = range.start + i + lead..range.start + i + lead + t.len();
                let decoded = decode_entities(t);
                if decoded == t {
                    self.text(t, at, false);
                } else {
                    self.text(&decoded, at, false);
                }
            }
            i += next;
        }
    }

    /// A finished code block, printed as plain paragraphs: a blank line
    /// or an indented line starts a new one.
    fn code_as_paragraphs(&mut self, pieces: Vec<(String, std::ops::Range<usize>)>) {
        self.close_inline();
        for (text, range) in pieces {
            let mut at = range.start;
            for line in text.split_inclusive('\n') {
                let start = at;
                at += line.len();
                let content = line.trim_end_matches(['\n', '\r']);
                let t = content.trim_start_matches(is_indent);
                let lead = content.len() - t.len();
                let t = t.trim_end();
                if t.is_empty() {
                    self.close_inline();
                    continue;
                }
                if lead > 0 {
                    self.close_inline();
                }
                if self.inline.is_some() {
                    self.soft_break = true;
                }
                self.text(t, start + lead..start + lead + t.len(), false);
            }
        }
        self.close_inline();
    }

    fn finish_image(&mut self) {
        let Some(img) = self.image.take() else { return };
        let caption = if img.alt.trim().is_empty() {
            img.title.trim().to_string()
        } else {
            img.alt.trim().to_string()
        };
        const OUTSIDE: &str =
            "图片请放在工作区内（例如与投稿同一目录），用相对路径引用：![图片说明](照片.jpg)";
        let resolved = resolve_image(self.root, &self.source.path, &img.src)
            .map_err(|m| (m, OUTSIDE))
            .and_then(|path| {
                // Checked from its header before anything decodes it; an
                // image the header does not describe is reported by the
                // typesetter.
                match crate::limits::probe_image_file(&path) {
                    Err(crate::limits::ImageProblem::TooLarge(m)) => Err((
                        format!("图片“{}”太大：{m}", img.src.trim()),
                        crate::limits::IMAGE_TOO_LARGE_HINT,
                    )),
                    _ => Ok(path),
                }
            });
        match resolved {
            Ok(path) => {
                // A figure is a block: close the paragraph around it.
                let kind = self.inline.as_ref().map(|(k, _)| *k);
                self.close_inline();
                self.push_block(Block::Image(Image {
                    path,
                    src: img.src,
                    caption,
                    offset: img.offset,
                }));
                if let Some(k) = kind {
                    self.inline = Some((k, Vec::new()));
                }
            }
            Err((msg, hint)) => {
                self.image_errors += 1;
                if self.image_errors > MAX_IMAGE_ERRORS {
                    return;
                }
                let index = self
                    .index
                    .get_or_insert_with(|| LineIndex::new(&self.source.text));
                self.diags.push(
                    Diagnostic::error("E040", msg)
                        .at_indexed(&self.source.path, &self.source.text, index, img.span)
                        .with_hint(hint),
                );
            }
        }
    }
}

/// An HTML comment holding only a `bulletin:allow` waiver.
fn is_waiver_comment(html: &str) -> bool {
    html.starts_with("<!--")
        && html.ends_with("-->")
        && html.contains(super::WAIVER_MARKER)
        && html.matches("<!--").count() == 1
}

/// The name of an HTML tag (`p`, `/p`, `br`); `None` for a comment or
/// anything else.
fn tag_name(html: &str) -> Option<&str> {
    let inner = html.strip_prefix('<')?;
    if inner.starts_with('!') || inner.starts_with('?') {
        return None;
    }
    let slash = usize::from(inner.starts_with('/'));
    let len = inner[slash..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(inner.len() - slash);
    (len > 0).then(|| &inner[..slash + len])
}

/// Length of the tag at the start of `s` (`<p class="x">`), if it is one.
fn tag_len(s: &str) -> Option<usize> {
    tag_name(s)?;
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// The few entities a pasted HTML fragment carries.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&ldquo;", "“")
        .replace("&rdquo;", "”")
        .replace("&amp;", "&")
}

fn last_char(inlines: &[Inline]) -> Option<char> {
    match inlines.last()? {
        Inline::Text(r) => r.text.chars().last(),
        Inline::Break => None,
    }
}

/// Join runs that continue each other in the source with the same style
/// and link (pulldown-cmark splits text at every delimiter it considered).
fn merge_adjacent_runs(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        if let (Some(Inline::Text(prev)), Inline::Text(run)) = (out.last_mut(), &inline)
            && prev.style == run.style
            && prev.link == run.link
            && prev.exact
            && run.exact
            && prev.offset + prev.text.len() == run.offset
        {
            prev.text.push_str(&run.text);
            continue;
        }
        out.push(inline);
    }
    out
}

/// CommonMark does not close `**` between Chinese punctuation and a Han
/// character (`**一是做好摸底排查。**依托…`): its flanking rules were made
/// for languages with spaces. pulldown-cmark then hands the delimiters back
/// as literal text. Pair such leftover `**` within one paragraph, in order,
/// and set what lies between them in bold, as a Chinese writer means it.
fn pair_cjk_strong(inlines: Vec<Inline>) -> Vec<Inline> {
    let inlines = merge_adjacent_runs(inlines);
    let literal = |i: &Inline| match i {
        Inline::Text(r) if !r.style.code => r.text.matches("**").count(),
        _ => 0,
    };
    let total: usize = inlines.iter().map(literal).sum();
    if total < 2 {
        return inlines;
    }
    // Only an even number of delimiters is paired; a last odd one stays.
    let mut pairable = total - total % 2;
    let mut bold = false;
    let mut out = Vec::with_capacity(inlines.len() + total);
    for inline in inlines {
        let Inline::Text(run) = inline else {
            out.push(inline);
            continue;
        };
        if run.style.code || !run.text.contains("**") || pairable == 0 {
            let mut run = run;
            run.style.strong |= bold;
            out.push(Inline::Text(run));
            continue;
        }
        let mut start = 0;
        // Each piece copies its own text only: cloning the whole run for
        // every piece made a paragraph of many `**` quadratic.
        let push = |from: usize, to: usize, strong: bool, out: &mut Vec<Inline>| {
            if from < to {
                let mut style = run.style;
                style.strong |= strong;
                out.push(Inline::Text(Run {
                    text: run.text[from..to].to_string(),
                    style,
                    link: run.link.clone(),
                    offset: run.source_offset(from),
                    exact: run.exact,
                }));
            }
        };
        while let Some(i) = run.text[start..].find("**").map(|i| start + i) {
            if pairable == 0 {
                break;
            }
            push(start, i, bold, &mut out);
            bold = !bold;
            pairable -= 1;
            start = i + 2;
        }
        push(start, run.text.len(), bold, &mut out);
    }
    out
}

/// Trailing spaces of the last run (a table cell's padding).
fn trim_trailing_spaces(inlines: &mut Vec<Inline>) {
    if let Some(Inline::Text(r)) = inlines.last_mut() {
        let n = r
            .text
            .trim_end_matches([' ', '\u{3000}', '\u{a0}', '\t'])
            .len();
        r.text.truncate(n);
        if r.text.is_empty() {
            inlines.pop();
        }
    }
}

/// Longest lead line taken as a heading, in characters.
pub const LEAD_LINE_MAX_CHARS: usize = 30;

/// The heading level of a paragraph that is only a lead line, as offices
/// number their headings: `一、主要做法` (1), `（一）强化组织领导` (2),
/// `1.健全机制` (3). A lead line is one short line with no sentence end in
/// it; `一、…。` followed by a sentence stays body text, and so does
/// `一是…`.
pub fn lead_line_level(text: &str) -> Option<u8> {
    let n = text.chars().count();
    if n == 0
        || n > LEAD_LINE_MAX_CHARS
        || text.contains(['\n', '。', '！', '？', '；', '：', '!', '?', ';', ':'])
    {
        return None;
    }
    let cn = |c: char| "一二三四五六七八九十百零〇".contains(c);
    let chars: Vec<char> = text.chars().collect();
    let rest_ok = |k: usize| chars.len() > k && !chars[k].is_whitespace();
    if cn(chars[0]) {
        let k = chars.iter().take_while(|c| cn(**c)).count();
        return (k <= 3 && chars.get(k) == Some(&'、') && rest_ok(k + 1)).then_some(1);
    }
    if matches!(chars[0], '（' | '(') {
        let k = 1 + chars[1..].iter().take_while(|c| cn(**c)).count();
        return (k > 1 && k <= 4 && matches!(chars.get(k), Some('）' | ')')) && rest_ok(k + 1))
            .then_some(2);
    }
    if chars[0].is_ascii_digit() {
        let k = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        return (k <= 2
            && matches!(chars.get(k), Some('.' | '．' | '、'))
            && rest_ok(k + 1)
            && !chars[k + 1].is_ascii_digit())
        .then_some(3);
    }
    None
}

/// Staff often indent paragraphs by hand with full-width spaces: the layout
/// indents by itself, so those go.
fn trim_leading_spaces(inlines: &mut [Inline]) {
    if let Some(Inline::Text(r)) = inlines.first_mut() {
        let trimmed = r.text.trim_start_matches([' ', '\u{3000}', '\u{a0}', '\t']);
        let cut = r.text.len() - trimmed.len();
        if cut > 0 {
            r.text = trimmed.to_string();
            r.offset += cut;
        }
    }
}

/// Indentation as office staff type it: ASCII spaces and tabs, full-width
/// spaces, no-break spaces.
fn is_indent(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}')
}

/// A line that opens a list item or a quote (after up to three spaces).
fn is_container_line(content: &str) -> bool {
    let c = content.trim_start_matches(' ');
    if c.starts_with('>') {
        return true;
    }
    let marker = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    if let Some(rest) = c.strip_prefix(['-', '*', '+']) {
        return marker(rest);
    }
    let digits = c.bytes().take_while(u8::is_ascii_digit).count();
    (1..=9).contains(&digits) && c[digits..].strip_prefix(['.', ')']).is_some_and(marker)
}

/// A fence line: ``` or ~~~ after up to three spaces.
fn fence_of(line: &str) -> Option<&'static str> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    if indent > 3 {
        return None;
    }
    let l = &line[indent..];
    if l.starts_with("```") {
        Some("```")
    } else if l.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

/// The body as Word users write it, rewritten for CommonMark: a line that
/// begins with indentation starts a new paragraph (a blank line is put
/// before it) and its ASCII indentation goes, so indentation never makes a
/// code block. Lists and quotes keep their indentation. `map` leads every
/// position of the rewritten text back to the original body.
struct Prepared {
    text: String,
    /// (position in `text`, position in the body) where a copied stretch
    /// starts, ascending.
    map: Vec<(usize, usize)>,
}

impl Prepared {
    fn new(body: &str) -> Prepared {
        let mut text = String::with_capacity(body.len() + 64);
        let mut map = vec![(0, 0)];
        let mut fence: Option<&str> = None;
        let mut in_list = false;
        let mut prev_blank = true;
        let mut pos = 0;
        for line in body.split_inclusive('\n') {
            let start = pos;
            pos += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            let blank = content.trim_matches(is_indent).is_empty();
            if let Some(f) = fence {
                if content.trim_start_matches(' ').starts_with(f) {
                    fence = None;
                }
                text.push_str(line);
                prev_blank = blank;
                continue;
            }
            if let Some(f) = fence_of(content) {
                fence = Some(f);
                text.push_str(line);
                prev_blank = false;
                continue;
            }
            let indented = content.starts_with(is_indent) && !blank;
            if blank {
                text.push_str(line);
                prev_blank = true;
                continue;
            }
            if !indented {
                in_list = is_container_line(content);
                text.push_str(line);
                prev_blank = false;
                continue;
            }
            let ascii = content.len() - content.trim_start_matches([' ', '\t']).len();
            let rest = &content[ascii..];
            if ascii > 0
                && !rest.starts_with(['\u{3000}', '\u{a0}'])
                && (in_list || is_container_line(rest))
            {
                // A list's continuation or nested item: CommonMark's own.
                in_list = true;
                text.push_str(line);
                prev_blank = false;
                continue;
            }
            if !prev_blank {
                text.push('\n');
            }
            // Copy from after the ASCII indentation.
            map.push((text.len(), start + ascii));
            text.push_str(&line[ascii..]);
            map.push((text.len(), pos));
            in_list = false;
            prev_blank = false;
        }
        Prepared { text, map }
    }

    /// Position in the body of position `p` of the rewritten text.
    fn pos(&self, p: usize) -> usize {
        let i = self.map.partition_point(|&(n, _)| n <= p).saturating_sub(1);
        let (n, o) = self.map[i];
        o + (p - n)
    }

    /// A range of the rewritten text as a range of the body (its start
    /// mapped, its length kept).
    fn range(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let s = self.pos(r.start);
        s..s + (r.end - r.start)
    }
}

/// Resolve an image path relative to the submission, refusing anything that
/// leaves the workspace or is not a local file.
pub fn resolve_image(root: &Path, submission: &Path, src: &str) -> Result<PathBuf, String> {
    let s = src.trim();
    if s.is_empty() {
        return Err("图片路径为空".to_string());
    }
    if s.contains("://") || s.starts_with("data:") || s.starts_with("//") {
        return Err(format!("图片“{s}”不是工作区内的文件：不支持网络或内嵌图片"));
    }
    let p = Path::new(s);
    if p.is_absolute()
        || p.components()
            .any(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
    {
        return Err(format!("图片路径“{s}”是绝对路径：只能引用工作区内的文件"));
    }
    let dir = submission.parent().unwrap_or(root);
    let joined = dir.join(p);
    // Lexically first (`..` that climbs out), so the answer does not depend
    // on what happens to exist outside the workspace.
    let mut depth: Vec<Component> = Vec::new();
    let rel = joined.strip_prefix(root).unwrap_or(&joined);
    for c in rel.components() {
        match c {
            Component::ParentDir if depth.pop().is_none() => {
                return Err(format!("图片路径“{s}”指向工作区之外"));
            }
            Component::Normal(_) => depth.push(c),
            _ => {}
        }
    }
    // Then through the boundary: every symlink on the way resolved and
    // kept inside the workspace, and a regular file at the end (not a FIFO
    // or a device, which could hang or never end).
    use crate::fsutil::boundary::Problem;
    let b = crate::fsutil::Boundary::new(root);
    match b.check_read(&joined) {
        Ok(real) => Ok(real),
        Err(r) => Err(match r.problem {
            Problem::LinkOutside { .. } | Problem::Outside => {
                format!("图片路径“{s}”指向工作区之外")
            }
            Problem::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                format!("找不到图片文件“{s}”")
            }
            Problem::IsDir => format!("图片“{s}”不是文件"),
            Problem::NotRegular { kind } => format!("图片“{s}”是{kind}，不是普通文件"),
            _ => format!("无法读取图片“{s}”（{}）", r.message("读取")),
        }),
    }
}

/// Convert a submission body into blocks. `body_start` is where the body
/// starts in `source.text`; warnings and errors name positions in the file.
pub fn parse_body(
    source: &SourceFile,
    body_start: usize,
    root: &Path,
) -> (Vec<Block>, Diagnostics) {
    let body = &source.text[body_start..];
    let mut b = Builder {
        source,
        root,
        base: body_start,
        blocks: Vec::new(),
        stack: Vec::new(),
        inline: None,
        strong: 0,
        emphasis: 0,
        links: Vec::new(),
        image: None,
        code: None,
        html_skip: None,
        soft_break: false,
        diags: Diagnostics::default(),
        flattened: 0,
        html_warnings: 0,
        image_errors: 0,
        index: None,
        table: None,
    };
    let prepared = Prepared::new(body);
    let mut fence_warned = false;
    let mut in_html_block = false;
    for (event, range) in Parser::new_ext(&prepared.text, Options::ENABLE_TABLES).into_offset_iter()
    {
        let range = prepared.range(range);
        let container_start = matches!(
            &event,
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item)
        );
        let container_end = matches!(
            &event,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item)
        );
        if container_start && (b.flattened > 0 || b.stack.len() >= MAX_DEPTH) {
            if b.flattened == 0 {
                b.diags.push(
                    Diagnostic::warning(
                        "W002",
                        format!("引用或列表嵌套超过 {MAX_DEPTH} 层，更深的层次已展平"),
                    )
                    .at(
                        &source.path,
                        &source.text,
                        body_start + range.start..body_start + range.end,
                    )
                    .with_hint("刊物正文一般不需要多层嵌套，请检查是否误输入了大量 `>` 或缩进"),
                );
            }
            b.close_inline();
            b.flattened += 1;
            continue;
        }
        if container_end && b.flattened > 0 {
            b.close_inline();
            b.flattened -= 1;
            continue;
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => {
                    b.close_inline();
                    b.inline = Some((InlineKind::Para, Vec::new()));
                }
                Tag::Heading { level, .. } => {
                    b.close_inline();
                    let l = match level {
                        HeadingLevel::H1 => 1,
                        HeadingLevel::H2 => 2,
                        HeadingLevel::H3 => 3,
                        _ => 4,
                    };
                    b.inline = Some((InlineKind::Heading(l), Vec::new()));
                }
                Tag::BlockQuote(_) => {
                    b.close_inline();
                    b.stack.push(Container::Quote(Vec::new()));
                }
                Tag::List(start) => {
                    b.close_inline();
                    b.stack.push(Container::List {
                        ordered: start.is_some(),
                        start: start.unwrap_or(1),
                        items: Vec::new(),
                    });
                }
                Tag::Item => {
                    b.close_inline();
                    b.stack.push(Container::Item(Vec::new()));
                }
                Tag::CodeBlock(kind) => {
                    b.close_inline();
                    b.code = Some(Vec::new());
                    if matches!(kind, pulldown_cmark::CodeBlockKind::Fenced(_)) && !fence_warned {
                        fence_warned = true;
                        let line_end = body[range.start..]
                            .find('\n')
                            .map_or(body.len(), |k| range.start + k);
                        b.diags.push(
                            Diagnostic::warning(
                                "W003",
                                "刊物里没有代码块：``` 或 ~~~ 围起来的文字按普通段落印出",
                            )
                            .at(
                                &source.path,
                                &source.text,
                                body_start + range.start..body_start + line_end,
                            )
                            .with_hint("删去 ``` 或 ~~~ 这两行；段与段之间空一行"),
                        );
                    }
                }
                Tag::Emphasis => b.emphasis += 1,
                Tag::Strong => b.strong += 1,
                Tag::Link { dest_url, .. } => b.links.push(safe_link(&dest_url)),
                Tag::Image {
                    dest_url, title, ..
                } => {
                    b.image = Some(PendingImage {
                        src: dest_url.to_string(),
                        title: title.to_string(),
                        alt: String::new(),
                        offset: body_start + range.start,
                        span: body_start + range.start..body_start + range.end,
                    });
                }
                Tag::HtmlBlock => {
                    b.close_inline();
                    in_html_block = true;
                }
                Tag::Table(align) => {
                    b.close_inline();
                    b.table = Some(TableBuild {
                        align: align
                            .iter()
                            .map(|a| match a {
                                pulldown_cmark::Alignment::None => Align::None,
                                pulldown_cmark::Alignment::Left => Align::Left,
                                pulldown_cmark::Alignment::Center => Align::Center,
                                pulldown_cmark::Alignment::Right => Align::Right,
                            })
                            .collect(),
                        header: Vec::new(),
                        rows: Vec::new(),
                        row: Vec::new(),
                        offset: body_start + range.start,
                    });
                }
                Tag::TableCell => {
                    b.close_inline();
                    b.inline = Some((InlineKind::Para, Vec::new()));
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::Heading(_) => b.close_inline(),
                TagEnd::BlockQuote(_) => {
                    b.close_inline();
                    if let Some(Container::Quote(v)) = b.stack.pop() {
                        b.push_block(Block::Quote(v));
                    }
                }
                TagEnd::Item => {
                    b.close_inline();
                    if let Some(Container::Item(v)) = b.stack.pop()
                        && let Some(Container::List { items, .. }) = b.stack.last_mut()
                    {
                        items.push(v);
                    }
                }
                TagEnd::List(_) => {
                    b.close_inline();
                    if let Some(Container::List {
                        ordered,
                        start,
                        items,
                    }) = b.stack.pop()
                    {
                        b.push_block(Block::List {
                            ordered,
                            start,
                            items,
                        });
                    }
                }
                TagEnd::CodeBlock => {
                    if let Some(pieces) = b.code.take() {
                        b.code_as_paragraphs(pieces);
                    }
                }
                TagEnd::HtmlBlock => {
                    b.close_inline();
                    b.html_skip = None;
                    in_html_block = false;
                }
                TagEnd::Emphasis => b.emphasis = b.emphasis.saturating_sub(1),
                TagEnd::Strong => b.strong = b.strong.saturating_sub(1),
                TagEnd::Link => {
                    b.links.pop();
                }
                TagEnd::Image => b.finish_image(),
                TagEnd::TableCell => {
                    let mut inlines = b.take_inline().map(|(_, v)| v).unwrap_or_default();
                    trim_trailing_spaces(&mut inlines);
                    b.soft_break = false;
                    if let Some(t) = &mut b.table {
                        t.row.push(Block::Paragraph(inlines));
                    }
                }
                TagEnd::TableHead => {
                    if let Some(t) = &mut b.table {
                        t.header = std::mem::take(&mut t.row);
                    }
                }
                TagEnd::TableRow => {
                    if let Some(t) = &mut b.table {
                        let mut row = std::mem::take(&mut t.row);
                        row.resize(t.header.len(), Block::Paragraph(Vec::new()));
                        t.rows.push(row);
                    }
                }
                TagEnd::Table => {
                    if let Some(t) = b.table.take() {
                        let mut align = t.align;
                        align.resize(t.header.len(), Align::None);
                        b.push_block(Block::Table(Table {
                            align,
                            header: t.header,
                            rows: t.rows,
                            offset: t.offset,
                        }));
                    }
                }
                _ => {}
            },
            Event::Text(t) => b.text(&t, range, false),
            Event::Code(t) => b.text(&t, range, true),
            Event::SoftBreak if b.image.is_none() => b.soft_break = true,
            Event::HardBreak if b.image.is_none() => {
                b.soft_break = false;
                b.ensure_inline().push(Inline::Break);
            }
            Event::Html(t) if in_html_block => b.html_block_line(&t, range),
            Event::InlineHtml(t) if b.code.is_none() => b.html_tag(&t, range, false),
            Event::Rule => b.close_inline(),
            _ => {}
        }
    }
    b.close_inline();
    if b.html_warnings > MAX_HTML_WARNINGS {
        b.diags.push(
            Diagnostic::warning(
                "W001",
                format!(
                    "另有 {} 处 HTML 标记同样已忽略（只列出了前 {MAX_HTML_WARNINGS} 处）",
                    b.html_warnings - MAX_HTML_WARNINGS
                ),
            )
            .in_file(&source.path),
        );
    }
    if b.image_errors > MAX_IMAGE_ERRORS {
        b.diags.push(
            Diagnostic::error(
                "E040",
                format!(
                    "另有 {} 处图片引用同样有问题（只列出了前 {MAX_IMAGE_ERRORS} 处）",
                    b.image_errors - MAX_IMAGE_ERRORS
                ),
            )
            .in_file(&source.path),
        );
    }
    while let Some(c) = b.stack.pop() {
        match c {
            Container::Quote(v) | Container::Item(v) => b.blocks.extend(v),
            Container::List {
                ordered,
                start,
                items,
            } => b.blocks.push(Block::List {
                ordered,
                start,
                items,
            }),
        }
    }
    if b.blocks.is_empty() && !body.trim_matches(is_indent_or_newline).is_empty() {
        let start = body.len() - body.trim_start_matches(is_indent_or_newline).len();
        let end = body[start..].find('\n').map_or(body.len(), |k| start + k);
        b.diags.push(
            Diagnostic::error("E023", "正文去掉 HTML 标记和注释后没有任何文字")
                .at(
                    &source.path,
                    &source.text,
                    body_start + start..body_start + end,
                )
                .with_hint("把正文直接写成文字，段与段之间空一行；不要用 <p> 等网页标记"),
        );
    }
    (b.blocks, b.diags)
}

fn is_indent_or_newline(c: char) -> bool {
    is_indent(c) || c == '\n' || c == '\r'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn parse(body: &str) -> (Vec<Block>, Diagnostics) {
        let src = SourceFile::new(PathBuf::from("/nonexistent/a.md"), body.to_string());
        parse_body(&src, 0, Path::new("/nonexistent"))
    }

    #[test]
    fn soft_breaks_join_chinese_without_space() {
        let (blocks, _) = parse("第一行中文\n第二行中文，and\nmore\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(plain_text(p), "第一行中文第二行中文，and more");
    }

    #[test]
    fn bold_and_emphasis_runs() {
        let (blocks, _) = parse("会议强调，**一要提高站位**，*二要*落实。\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!()
        };
        let styles: Vec<(String, bool, bool)> = p
            .iter()
            .filter_map(|i| match i {
                Inline::Text(r) => Some((r.text.clone(), r.style.strong, r.style.emphasis)),
                _ => None,
            })
            .collect();
        assert_eq!(styles[1], ("一要提高站位".to_string(), true, false));
        assert_eq!(styles[3], ("二要".to_string(), false, true));
    }

    #[test]
    fn strong_closes_after_chinese_punctuation() {
        let body = "**一是做好摸底排查。**依托平台走访。**二是及时发放物资。**棉衣要送到。\n";
        let (blocks, _) = parse(body);
        let Block::Paragraph(p) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            plain_text(p),
            "一是做好摸底排查。依托平台走访。二是及时发放物资。棉衣要送到。"
        );
        let strong: Vec<(String, bool)> = p
            .iter()
            .filter_map(|i| match i {
                Inline::Text(r) => Some((r.text.clone(), r.style.strong)),
                _ => None,
            })
            .collect();
        assert_eq!(
            strong,
            vec![
                ("一是做好摸底排查。".to_string(), true),
                ("依托平台走访。".to_string(), false),
                ("二是及时发放物资。".to_string(), true),
                ("棉衣要送到。".to_string(), false),
            ]
        );
        // Offsets still point at the source characters.
        let Inline::Text(r) = &p[1] else { panic!() };
        assert_eq!(&body[r.offset..r.offset + r.text.len()], "依托平台走访。");
        // A lone `**` stays literal text.
        let (blocks, _) = parse("乘号写作**，不成对。\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!()
        };
        assert_eq!(plain_text(p), "乘号写作**，不成对。");
    }

    #[test]
    fn raw_html_is_dropped_with_warning() {
        let (blocks, diags) =
            parse("正文<script>alert(1)</script>结束。\n\n<div onclick=\"x\">块</div>\n");
        let text: String = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => plain_text(p),
                _ => String::new(),
            })
            .collect();
        assert!(!text.contains('<'), "{text}");
        assert!(!diags.is_empty());
    }

    #[test]
    fn waiver_comments_are_silent_and_dropped() {
        let (blocks, diags) = parse(
            "<!-- bulletin:allow P013 英文名称 -->\n正文and正文。<!-- bulletin:allow P001 原文 -->\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let text: String = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => plain_text(p),
                _ => String::new(),
            })
            .collect();
        assert_eq!(text, "正文and正文。");
        let (_, diags) = parse("<!-- 普通注释 -->\n正文。\n");
        assert!(!diags.is_empty());
    }

    #[test]
    fn unsafe_links_lose_their_target() {
        let (blocks, _) = parse("[a](javascript:alert(1)) [b](https://example.org)\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!()
        };
        let links: Vec<Option<String>> = p
            .iter()
            .filter_map(|i| match i {
                Inline::Text(r) if !r.text.trim().is_empty() => Some(r.link.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(links, vec![None, Some("https://example.org".to_string())]);
    }

    #[test]
    fn offsets_point_into_source() {
        let body = "前言\n\n**加粗**后文。\n";
        let (blocks, _) = parse(body);
        let Block::Paragraph(p) = &blocks[1] else {
            panic!()
        };
        let Inline::Text(r) = &p[1] else { panic!() };
        assert_eq!(r.text, "后文。");
        assert!(r.exact);
        assert_eq!(&body[r.offset..r.offset + r.text.len()], "后文。");
    }

    #[test]
    fn full_width_indent_is_removed() {
        let (blocks, _) = parse("\u{3000}\u{3000}正文。\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!()
        };
        assert_eq!(plain_text(p), "正文。");
    }

    fn paragraphs(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => plain_text(p),
                other => panic!("not a paragraph: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn indented_lines_start_paragraphs() {
        let body = "\u{3000}\u{3000}第一段。\n\u{3000}\u{3000}第二段，\n接着写。\n    第三段。\n\t第四段。\n";
        let (blocks, diags) = parse(body);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            paragraphs(&blocks),
            ["第一段。", "第二段，接着写。", "第三段。", "第四段。"]
        );
        // Offsets still point at the source characters.
        let Block::Paragraph(p) = &blocks[2] else {
            panic!()
        };
        let Inline::Text(r) = &p[0] else { panic!() };
        assert!(r.exact);
        assert_eq!(&body[r.offset..r.offset + r.text.len()], "第三段。");
    }

    #[test]
    fn indented_block_is_not_code_and_lists_keep_nesting() {
        let (blocks, _) = parse("    缩进四格的一段，\n    第二行。\n");
        assert_eq!(paragraphs(&blocks), ["缩进四格的一段，", "第二行。"]);
        let (blocks, _) = parse("- 一项\n  - 子项\n- 二项\n");
        let Block::List { items, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(items.len(), 2);
        assert!(matches!(items[0][1], Block::List { .. }), "{items:?}");
    }

    #[test]
    fn fenced_code_prints_as_paragraphs_with_warning() {
        let (blocks, diags) = parse("前言。\n\n```\n第一行，\n接第一行。\n\n第二段。\n```\n");
        assert_eq!(
            paragraphs(&blocks),
            ["前言。", "第一行，接第一行。", "第二段。"]
        );
        let w: Vec<_> = diags.items.iter().filter(|d| d.code == "W003").collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn html_block_text_is_kept() {
        let (blocks, diags) =
            parse("<p>近日，新县开展检查。</p>\n<p>共走访<b>120</b>户&nbsp;。</p>\n");
        assert_eq!(
            paragraphs(&blocks),
            ["近日，新县开展检查。", "共走访120户 。"]
        );
        let first = diags.items.first().unwrap();
        assert!(first.message.contains("<p>"), "{}", first.message);
        assert!(!diags.has_errors());
        let Block::Paragraph(p) = &blocks[1] else {
            panic!()
        };
        assert!(
            p.iter()
                .any(|i| matches!(i, Inline::Text(r) if r.text == "120" && r.style.strong))
        );
        // Script text is not prose.
        let (blocks, _) = parse("<div>\n<script>\nalert(1)\n</script>\n正文。\n</div>\n");
        assert_eq!(paragraphs(&blocks), ["正文。"]);
    }

    #[test]
    fn body_empty_after_html_is_an_error() {
        let (_, diags) = parse("<div><img src=x></div>\n");
        assert!(diags.items.iter().any(|d| d.code == "E023"), "{diags:?}");
    }

    #[test]
    fn image_outside_workspace_is_an_error() {
        let (_, diags) = parse("![图](../../etc/passwd)\n");
        assert!(diags.has_errors());
        let (_, diags) = parse("![图](/etc/passwd)\n");
        assert!(diags.has_errors());
    }

    #[test]
    fn pipe_tables_are_tables_with_cell_offsets() {
        let body = "| 项目 | 数量 |\n| --- | ---: |\n| 养老机构 | 12 |\n| 救助站 |\n";
        let (blocks, _) = parse(body);
        let [Block::Table(t)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.align, [Align::None, Align::Right]);
        let cells = |row: &[Block]| -> Vec<String> {
            row.iter().map(|c| plain_text(Table::cell(c))).collect()
        };
        assert_eq!(cells(&t.header), ["项目", "数量"]);
        assert_eq!(cells(&t.rows[0]), ["养老机构", "12"]);
        // A short row is filled with empty cells.
        assert_eq!(cells(&t.rows[1]), ["救助站", ""]);
        let Inline::Text(r) = &Table::cell(&t.rows[0][0])[0] else {
            panic!()
        };
        assert!(r.exact);
        assert_eq!(&body[r.offset..r.offset + r.text.len()], "养老机构");
    }

    #[test]
    fn lead_lines_as_offices_number_them() {
        for (t, want) in [
            ("一、主要做法", Some(1)),
            ("十二、下一步打算", Some(1)),
            ("（一）强化组织领导", Some(2)),
            ("(三)坚持党建引领，夯实基层基础", Some(2)),
            ("1.健全机制", Some(3)),
            ("2、完善制度", Some(3)),
            ("一、坚持问题导向。县局开展排查", None),
            ("一是摸清底数", None),
            ("1.5万元", None),
            ("一、", None),
            ("（1）细化措施", None),
            (
                "一、主要做法主要做法主要做法主要做法主要做法主要做法主要做法主要做法",
                None,
            ),
        ] {
            assert_eq!(lead_line_level(t), want, "{t}");
        }
        let (blocks, _) = parse("一、主要做法\n\n正文。\n\n- 一、列表里的不算\n");
        assert!(
            matches!(&blocks[0], Block::Heading { level: 1, .. }),
            "{blocks:?}"
        );
        assert!(matches!(&blocks[1], Block::Paragraph(_)));
        let Block::List { items, .. } = &blocks[2] else {
            panic!()
        };
        assert!(matches!(items[0][0], Block::Paragraph(_)));
    }
}
