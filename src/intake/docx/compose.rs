//! Composing the Markdown submission from the walked body: headings and
//! lead lines, paragraphs, lists, tables, images with captions, and the
//! title, unit and date lines taken out of the body.

use super::*;

impl Composer<'_> {
    pub(super) fn images_of(&self, p: &Para) -> Vec<usize> {
        p.inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Image(k) => self.picture_of.get(*k).copied().flatten(),
                _ => None,
            })
            .collect()
    }

    /// Paragraphs split at line breaks that start an indented line, their
    /// indentation removed, empty ones dropped.
    pub(super) fn prepare(&mut self, blocks: Vec<Block>) -> Vec<Item> {
        let mut items = Vec::new();
        for b in blocks {
            match b {
                Block::Para(p) => {
                    for mut p in self.split(p) {
                        self.trim(&mut p);
                        if plain(&p).is_empty() && self.images_of(&p).is_empty() {
                            self.counts.empty += 1;
                            continue;
                        }
                        if p.indent_fmt {
                            self.counts.indent_fmt += 1;
                        }
                        items.push(Item::Para(p));
                    }
                }
                Block::Table(mut rows) => {
                    for cell in rows.iter_mut().flatten() {
                        for p in &mut cell.paras {
                            self.trim(p);
                        }
                    }
                    items.push(Item::Table(rows));
                }
            }
        }
        items
    }

    /// A line break followed by an indented line is a new paragraph (the
    /// sender pressed Shift+Enter and indented by hand).
    pub(super) fn split(&mut self, p: Para) -> Vec<Para> {
        let mut out = Vec::new();
        let mut cur = Para {
            inlines: Vec::new(),
            ..p.clone()
        };
        let mut it = p.inlines.into_iter().peekable();
        while let Some(i) = it.next() {
            if i == Inline::Break
                && let Some(Inline::Text { text, .. }) = it.peek()
                && (text.starts_with('\u{3000}')
                    || text.starts_with("  ")
                    || text.starts_with('\t'))
            {
                self.counts.split += 1;
                let next = Para {
                    inlines: Vec::new(),
                    label: None,
                    ..cur.clone()
                };
                out.push(std::mem::replace(&mut cur, next));
                continue;
            }
            cur.inlines.push(i);
        }
        out.push(cur);
        out
    }

    /// Leading indentation (full-width spaces, spaces, tabs) and trailing
    /// spaces go; leading and trailing line breaks too.
    pub(super) fn trim(&mut self, p: &mut Para) {
        while matches!(p.inlines.first(), Some(Inline::Break)) {
            p.inlines.remove(0);
        }
        while matches!(p.inlines.last(), Some(Inline::Break)) {
            p.inlines.pop();
        }
        let mut cut = false;
        // Each line's start: after the paragraph start and every break.
        let mut at_line_start = true;
        for i in p.inlines.iter_mut() {
            match i {
                Inline::Break => at_line_start = true,
                Inline::Text { text, .. } if at_line_start => {
                    let t = text.trim_start_matches(INDENT);
                    if t.len() != text.len() {
                        cut |= text.starts_with(['\u{3000}', ' ', '\t']);
                        *text = t.to_string();
                    }
                    if !text.is_empty() {
                        at_line_start = false;
                    }
                }
                Inline::Image(_) => at_line_start = false,
                _ => {}
            }
        }
        // Trailing spaces of each line.
        let mut at_line_end = true;
        for i in p.inlines.iter_mut().rev() {
            match i {
                Inline::Break => at_line_end = true,
                Inline::Text { text, .. } if at_line_end => {
                    let t = text.trim_end_matches(INDENT).len();
                    text.truncate(t);
                    if !text.is_empty() {
                        at_line_end = false;
                    }
                }
                Inline::Image(_) => at_line_end = false,
                _ => {}
            }
        }
        p.inlines
            .retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
        if cut && !plain(p).is_empty() {
            self.counts.indents += 1;
        }
    }

    pub(super) fn note(&mut self, s: String) {
        self.notes.push(s);
    }

    pub(super) fn compose(
        &mut self,
        mut items: Vec<Item>,
        props: &meta::CoreProps,
        pictures: Vec<Picture>,
    ) -> Result<Draft, Vec<String>> {
        if items.is_empty() {
            return Err(one(
                "Word 文档里没有任何文字（可能保存时出错，或文字都在文本框里）：请检查后重新提交"
                    .to_string(),
            ));
        }
        let known = self.input.known_units;
        let mut unit: Option<(String, String)> = None;
        let mut date: Option<(NaiveDate, String)> = None;

        // A 来源 line, anywhere in the top-level paragraphs.
        if let Some(i) = items.iter().position(|it| {
            matches!(it, Item::Para(p) if self.images_of(p).is_empty() && meta::source_line(&plain(p)).is_some())
        }) {
            let Item::Para(p) = items.remove(i) else {
                unreachable!()
            };
            let text = plain(&p);
            let (u, d) = meta::source_line(&text).expect("checked above");
            unit = Some((u, format!("取自“{}”一行", short(&text, 20))));
            if let Some(d) = d {
                date = Some((d, format!("取自“{}”一行", short(&text, 20))));
            }
        }

        // The end: a date line, a （单位） line, a right-aligned unit line.
        for _ in 0..3 {
            let Some(Item::Para(p)) = items.last() else {
                break;
            };
            if !self.images_of(p).is_empty() {
                break;
            }
            let text = plain(p);
            if let Some(d) = meta::text_date(&text) {
                if date.is_none() {
                    date = Some((d, format!("取自文末的日期“{text}”")));
                } else {
                    self.note(format!("去掉文末的日期“{text}”"));
                }
                items.pop();
                continue;
            }
            let bracketed = meta::bracketed_unit(&text);
            let signed = ((p.align == Align::End || date.is_some())
                && meta::unit_like(&text, known))
            .then(|| text.clone());
            if let Some(u) = bracketed.or(signed) {
                if unit.is_none() {
                    unit = Some((u, format!("取自文末的“{text}”")));
                } else {
                    self.note(format!("去掉文末的“{text}”（来源单位已有）"));
                }
                items.pop();
                continue;
            }
            break;
        }
        // The last paragraph ending in （单位）.
        if unit.is_none()
            && let Some(Item::Para(p)) = items.last_mut()
        {
            let text = plain(p);
            if let Some((before, u)) = meta::trailing_unit(&text, known) {
                strip_suffix_chars(p, text.chars().count() - before.chars().count());
                unit = Some((u.clone(), format!("取自末段结尾的（{u}）")));
            }
        }

        // The title.
        let title = self.take_title(&mut items, props);

        // The file name, the document properties, the command line.
        let name = name_fields(self.input.file_stem, self.input.known_units);
        if unit.is_none()
            && let Some(u) = name.unit.clone()
        {
            unit = Some((u, "取自文件名".to_string()));
        }
        if date.is_none()
            && let Some(d) = name.date
        {
            date = Some((d, "取自文件名".to_string()));
        }
        if unit.is_none() {
            for (who, what) in [
                (&props.creator, "作者"),
                (&props.last_modified_by, "最后修改者"),
            ] {
                if let Some(u) = who
                    && meta::unit_like(u, known)
                {
                    unit = Some((u.clone(), format!("取自文档属性（{what}），请核对")));
                    break;
                }
            }
        }
        if date.is_none() {
            let today = self.input.today;
            for (d, what) in [
                (props.modified, "最后修改日期"),
                (props.created, "创建日期"),
            ] {
                if let Some(d) = d
                    && d <= today + chrono::Days::new(1)
                    && today - chrono::Days::new(366) <= d
                {
                    date = Some((d, format!("取自文档属性（{what}），请核对")));
                    break;
                }
            }
        }
        if unit.is_none()
            && let Some(u) = self.input.defaults.unit.clone()
        {
            unit = Some((u, "取自 --unit".to_string()));
        }
        if date.is_none()
            && let Some(d) = self.input.defaults.date
        {
            date = Some((d, "取自 --date".to_string()));
        }

        let mut pieces = Vec::new();
        self.body(items, &mut pieces);

        let mut problems = Vec::new();
        if unit.is_none() || date.is_none() {
            let mut missing = Vec::new();
            if unit.is_none() {
                missing.push("来源单位");
            }
            if date.is_none() {
                missing.push("日期");
            }
            problems.push(format!(
                "无法得知{}：Word 文档里没有“来源：单位”一行、文末的（单位）或日期，文件名“{}.docx”也不是“单位_YYYY-MM-DD_标题.docx”的格式：请在文末写上（单位）和日期，或按此格式改名，或导入时用 {} 指定",
                missing.join("和"),
                self.input.file_stem,
                missing
                    .iter()
                    .map(|m| if *m == "日期" { "--date" } else { "--unit" })
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        if pieces.is_empty() {
            problems.push("Word 文档里除标题外没有正文".to_string());
        }
        if title.is_none() && !self.input.brief {
            problems.push(
                "找不到标题：请把标题作为第一段，设为“标题”样式或居中、加粗后重新提交".to_string(),
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let (unit, unit_why) = unit.expect("checked");
        let (date, date_why) = date.expect("checked");
        let mut notes = vec!["Word 文档 → Markdown".to_string()];
        if let Some((t, why)) = &title {
            notes.push(format!("标题“{}”：{why}", short(t, 20)));
        }
        notes.push(format!("来源单位“{unit}”：{unit_why}"));
        notes.push(format!("日期 {}：{date_why}", date.format("%Y-%m-%d")));
        notes.extend(self.count_notes());
        notes.append(&mut self.notes);
        Ok(Draft {
            title: title.map(|t| t.0),
            unit,
            date,
            pictures,
            notes,
            pieces,
        })
    }

    pub(super) fn count_notes(&self) -> Vec<String> {
        let c = &self.counts;
        let tables = format!(
            "表格 {{}} 个转为 Markdown 表格{}",
            if c.merged {
                "（合并的单元格已拆开）"
            } else {
                ""
            }
        );
        let counted: [(usize, &str); 10] = [
            (c.indents, "去掉段首空格缩进 {} 段"),
            (c.indent_fmt, "忽略段落缩进格式 {} 段（排版统一缩进）"),
            (c.split, "段内换行后另起缩进的，拆成新段 {} 处"),
            (c.empty, "去掉空段 {} 个"),
            (c.labels, "自动编号写成文字 {} 处"),
            (
                c.headings_lead,
                "段首编号（一、（一）1.）的短句转为小标题 {} 个",
            ),
            (c.headings_style, "标题样式的段落转为小标题 {} 个"),
            (c.items, "列表 {} 项"),
            (c.tables, &tables),
            (c.captions, "图片说明 {} 条取自图片下一段"),
        ];
        counted_notes(&counted)
    }

    /// The title: a Title-styled paragraph among the first three, or the
    /// first paragraph when centred or all bold (a second such paragraph
    /// continues it); else the document properties' title; else the first
    /// paragraph when it is short. A 简讯 prints no title: everything stays
    /// in the body.
    pub(super) fn take_title(
        &mut self,
        items: &mut Vec<Item>,
        props: &meta::CoreProps,
    ) -> Option<(String, String)> {
        if self.input.brief {
            self.note("简讯栏目不印标题：第一段起全部作为正文".to_string());
            return None;
        }
        let para_at = |items: &[Item], i: usize| match items.get(i) {
            Some(Item::Para(p)) if self.images_of(p).is_empty() => Some(p.clone()),
            _ => None,
        };
        for i in 0..3 {
            if let Some(p) = para_at(items, i)
                && p.meaning.title
            {
                items.remove(i);
                if i > 0 {
                    self.note(format!("标题之前的 {i} 段保留在正文开头，请核对"));
                }
                return Some((plain(&p), "取自“标题”样式的段落".to_string()));
            }
        }
        if let Some(p) = para_at(items, 0) {
            let text = plain(&p);
            let centred = p.align == Align::Center;
            let bold = all_bold(&p);
            let is_lead = meta::lead_level(&text).is_some() || p.label.is_some();
            if (centred || bold) && !is_lead && text.chars().count() <= 60 {
                items.remove(0);
                let mut title = text;
                let how = match (centred, bold) {
                    (true, true) => "居中加粗",
                    (true, false) => "居中",
                    _ => "加粗",
                };
                // A long title set on two lines.
                if let Some(q) = para_at(items, 0) {
                    let t2 = plain(&q);
                    if (q.align == Align::Center) == centred
                        && all_bold(&q) == bold
                        && centred
                        && !t2.starts_with(['—', '-', '（', '('])
                        && !t2.ends_with(['。', '！', '？'])
                        && title.chars().count() + t2.chars().count() <= 60
                        && meta::lead_level(&t2).is_none()
                    {
                        items.remove(0);
                        title.push_str(&t2);
                        return Some((title, format!("取自{how}的前两段")));
                    }
                }
                return Some((title, format!("取自{how}的第一段")));
            }
        }
        if let Some(t) = &props.title
            && t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        {
            return Some((t.clone(), "取自文档属性（标题），请核对".to_string()));
        }
        if let Some(p) = para_at(items, 0) {
            let text = plain(&p);
            let rest = items.len() > 1;
            if rest
                && text.chars().count() <= 40
                && !text.ends_with(['。', '！', '？', '；', '：'])
                && meta::lead_level(&text).is_none()
                && p.label.is_none()
            {
                items.remove(0);
                return Some((text, "取自第一段（没有标题格式），请核对".to_string()));
            }
        }
        None
    }

    /// The body's pieces, images with the caption from the paragraph
    /// after them.
    pub(super) fn body(&mut self, items: Vec<Item>, out: &mut Vec<Piece>) {
        let mut it = items.into_iter().peekable();
        while let Some(item) = it.next() {
            match item {
                Item::Table(rows) => self.table(rows, out),
                Item::Para(p) => {
                    let images = self.images_of(&p);
                    if !plain(&p).is_empty() {
                        self.para(&p, out);
                    }
                    if images.is_empty() {
                        continue;
                    }
                    let caption = match it.peek() {
                        Some(Item::Para(q))
                            if self.images_of(q).is_empty()
                                && (q.meaning.caption || meta::caption_like(&plain(q))) =>
                        {
                            let c = plain(q);
                            it.next();
                            self.counts.captions += 1;
                            c
                        }
                        _ => String::new(),
                    };
                    for (n, i) in images.iter().enumerate() {
                        let cap = if n == 0 {
                            caption.clone()
                        } else {
                            String::new()
                        };
                        out.push(Piece::Image(*i, cap));
                    }
                }
            }
        }
    }

    pub(super) fn para(&mut self, p: &Para, out: &mut Vec<Piece>) {
        let label = p.label.as_ref().filter(|l| !l.bullet && !l.text.is_empty());
        if label.is_some() {
            self.counts.labels += 1;
        }
        let label_text = label.map_or(String::new(), |l| l.text.clone());
        let text = format!("{label_text}{}", plain(p));
        let mut lines = inline::lines(&p.inlines);
        lines.retain(|l| !inline::plain(l).trim().is_empty());
        if let Some(first) = lines.first_mut()
            && !label_text.is_empty()
        {
            first.insert(0, (label_text.clone(), false, false));
        }
        let heading_text = || {
            let t: String = lines.iter().map(|l| inline::markdown(l, false)).collect();
            t.replace('#', "\\#")
        };
        let bullet = p.label.as_ref().is_some_and(|l| l.bullet);
        if !bullet
            // The same rule as a lead line in a Markdown submission.
            && let Some(level) = crate::model::markdown::lead_line_level(&text)
            && !(p.meaning.list && label.is_some())
        {
            self.counts.headings_lead += 1;
            out.push(Piece::Md(format!(
                "{} {}",
                "#".repeat(level as usize),
                heading_text()
            )));
            return;
        }
        if let Some(h) = p.meaning.heading
            && !p.meaning.list
        {
            self.counts.headings_style += 1;
            let level = h.min(4) as usize;
            out.push(Piece::Md(format!(
                "{} {}",
                "#".repeat(level),
                heading_text()
            )));
            return;
        }
        if bullet || (p.meaning.list && p.label.is_some()) {
            self.counts.items += 1;
            let l = p.label.as_ref().expect("checked");
            let mut lines = inline::lines(&p.inlines);
            lines.retain(|l| !inline::plain(l).trim().is_empty());
            let content: String = lines.iter().map(|l| inline::markdown(l, true)).collect();
            let marker = if l.bullet {
                "-".to_string()
            } else {
                format!("{}.", l.value)
            };
            out.push(Piece::Item(
                format!("{}{marker} {content}", "    ".repeat(l.level as usize)),
                l.bullet,
            ));
            if label.is_some() {
                self.counts.labels -= 1;
            }
            return;
        }
        let md: Vec<String> = lines
            .iter()
            .map(|l| inline::escape_line_start(&inline::markdown(l, true)))
            .collect();
        out.push(Piece::Md(md.join("\\\n")));
    }

    pub(super) fn table(&mut self, rows: Vec<Vec<Cell>>, out: &mut Vec<Piece>) {
        let cell_text = |c: &Cell| -> String {
            c.paras
                .iter()
                .flat_map(|p| inline::lines(&p.inlines))
                .map(|l| inline::markdown(&l, true))
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let has_text = rows.iter().flatten().any(|c| !cell_text(c).is_empty());
        let images: Vec<usize> = rows
            .iter()
            .flatten()
            .flat_map(|c| c.paras.iter())
            .flat_map(|p| self.images_of(p))
            .collect();
        let cells: usize = rows.iter().map(|r| r.len()).sum();
        if cells == 1 {
            // A one-cell table is a frame around text: its paragraphs.
            let paras: Vec<Para> = rows.into_iter().flatten().flat_map(|c| c.paras).collect();
            let items = paras
                .into_iter()
                .filter(|p| !plain(p).is_empty() || !self.images_of(p).is_empty())
                .map(Item::Para)
                .collect();
            self.note("只有一个单元格的表格（文字外框）按普通段落导入".to_string());
            self.body(items, out);
            return;
        }
        if has_text {
            self.counts.tables += 1;
            let width = rows
                .iter()
                .map(|r| r.iter().map(|c| c.span).sum::<usize>())
                .max()
                .unwrap_or(1)
                .max(1);
            let mut lines = Vec::new();
            for (n, r) in rows.iter().enumerate() {
                let mut texts = Vec::new();
                for c in r {
                    if c.merged || c.span > 1 {
                        self.counts.merged = true;
                    }
                    texts.push(if c.merged {
                        String::new()
                    } else {
                        cell_text(c)
                    });
                    texts.extend(std::iter::repeat_n(String::new(), c.span - 1));
                }
                texts.resize(width, String::new());
                lines.push(format!("| {} |", texts.join(" | ")));
                if n == 0 {
                    lines.push(format!("|{}", " --- |".repeat(width)));
                }
            }
            out.push(Piece::Md(lines.join("\n")));
        }
        for i in images {
            out.push(Piece::Image(i, String::new()));
        }
    }
}

/// Remove the last `n` characters of a paragraph's text (a trailing
/// （单位） taken as the unit).
pub(super) fn strip_suffix_chars(p: &mut Para, mut n: usize) {
    while n > 0 {
        let Some(pos) = p
            .inlines
            .iter()
            .rposition(|i| matches!(i, Inline::Text { .. }))
        else {
            return;
        };
        let Inline::Text { text, .. } = &mut p.inlines[pos] else {
            unreachable!()
        };
        let count = text.chars().count();
        if count <= n {
            n -= count;
            p.inlines.remove(pos);
        } else {
            let keep: String = text.chars().take(count - n).collect();
            *text = keep.trim_end().to_string();
            n = 0;
        }
    }
}
