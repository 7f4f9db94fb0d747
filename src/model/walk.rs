//! Every block of a block tree in reading order (depth first, a list,
//! quote or table before its contents, a table's cells row by row), for code that looks at blocks one by one
//! rather than at the tree's shape.

use super::Block;

/// One block met on the walk.
#[derive(Debug, Clone, Copy)]
pub struct Visit<'a> {
    pub block: &'a Block,
    /// Inside a list item or a quote rather than at the top level.
    pub nested: bool,
    /// The block that follows in the same list of blocks.
    pub next: Option<&'a Block>,
}

/// Walk of [`blocks`].
#[derive(Debug, Clone)]
pub struct Blocks<'a> {
    /// Lists of blocks still to walk, innermost last: the blocks, the
    /// index of the next one, whether they are nested.
    stack: Vec<(&'a [Block], usize, bool)>,
}

/// Every block of `top` and below, in reading order.
pub fn blocks(top: &[Block]) -> Blocks<'_> {
    Blocks {
        stack: vec![(top, 0, false)],
    }
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Visit<'a>;

    fn next(&mut self) -> Option<Visit<'a>> {
        loop {
            let (list, i, nested) = self.stack.last_mut()?;
            let (list, nested) = (*list, *nested);
            let Some(block) = list.get(*i) else {
                self.stack.pop();
                continue;
            };
            *i += 1;
            let next = list.get(*i);
            match block {
                Block::List { items, .. } => self
                    .stack
                    .extend(items.iter().rev().map(|it| (it.as_slice(), 0, true))),
                Block::Quote(inner) => self.stack.push((inner, 0, true)),
                // The cells, row by row (each cell a paragraph).
                Block::Table(t) => self.stack.extend(
                    std::iter::once(&t.header)
                        .chain(t.rows.iter())
                        .rev()
                        .map(|row| (row.as_slice(), 0, true)),
                ),
                _ => {}
            }
            return Some(Visit {
                block,
                nested,
                next,
            });
        }
    }
}

/// Call `f` on every block of `top` and below, in reading order.
pub fn visit_blocks<'a>(top: &'a [Block], f: &mut impl FnMut(&'a Block)) {
    for v in blocks(top) {
        f(v.block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testutil::item;

    #[test]
    fn reading_order_with_nesting() {
        let it = item(
            "a.md",
            Some("标题"),
            "市局",
            "2025-12-01",
            "甲。\n\n- 乙\n- 丙\n\n  > 丁\n\n戊。\n\n```\n己\n```\n",
        );
        let seen: Vec<String> = blocks(&it.blocks)
            .map(|v| {
                let kind = match v.block {
                    Block::Paragraph(p) => crate::model::plain_text(p),
                    Block::List { .. } => "列表".into(),
                    Block::Quote(_) => "引用".into(),
                    Block::Code(c) => c.trim().into(),
                    _ => "?".into(),
                };
                format!("{kind}{}", if v.nested { "*" } else { "" })
            })
            .collect();
        assert_eq!(
            seen,
            ["甲。", "列表", "乙*", "丙*", "引用*", "丁*", "戊。", "己"]
        );
        let next_of_first = blocks(&it.blocks).next().unwrap().next;
        assert!(matches!(next_of_first, Some(Block::List { .. })));
    }
}
