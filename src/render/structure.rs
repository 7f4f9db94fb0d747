//! The tagged PDF's logical structure, collected while the pages are drawn:
//! each printed run goes to the structure element of its block (heading,
//! paragraph, caption), images to figures with alternative text, links to
//! link elements; the tag tree lists them in reading order (the order of the
//! typeset flow, which is also the order of the content streams).
//!
//! The tree: the masthead's name is the document's only H1 (number and
//! publisher/date lines are paragraphs); each section is a Sect whose
//! heading is H2; each item is an Art whose title is one level under its
//! section's heading (H3, or H2 in a section without a heading), and whose
//! inner headings are one level further down. Headings never skip a level.
//! A table is a Table of TR rows, the header row's cells TH (column
//! scope), the others TD; a header row set again on a later page is
//! pagination, outside the tree.

use std::collections::HashMap;
use std::num::NonZeroU16;

use krilla::tagging::{Identifier, Node, TableHeaderScope, Tag, TagGroup, TagKind, TagTree};

use crate::typeset::{BlockRef, CellRef, LineKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Section(usize),
    Item(usize, usize),
    Table(usize),
    Row(usize, usize),
    Block(LineKind, usize),
}

#[derive(Debug)]
enum Role {
    Root,
    Section,
    Item,
    Block(LineKind),
    Table,
    /// A table row of `cols` cells.
    Row {
        cols: usize,
        header: bool,
    },
    /// A table cell in column `col`.
    Cell {
        col: usize,
        header: bool,
    },
    Figure(String),
    Link,
}

#[derive(Debug)]
enum Child {
    Node(usize),
    Leaf(Identifier),
}

#[derive(Debug)]
struct SNode {
    role: Role,
    children: Vec<Child>,
    /// The text of a block (a heading's title).
    text: String,
}

/// The structure being collected (an arena; node 0 is the root).
#[derive(Debug)]
pub(super) struct Structure {
    nodes: Vec<SNode>,
    index: HashMap<Key, usize>,
    /// The container of the last block seen (where an uncaptioned figure
    /// goes).
    last_parent: usize,
    /// A figure waiting for its caption, to go into the caption's
    /// container.
    pending_figure: Option<(String, Identifier)>,
}

impl Default for Structure {
    fn default() -> Self {
        Structure {
            nodes: vec![SNode {
                role: Role::Root,
                children: Vec::new(),
                text: String::new(),
            }],
            index: HashMap::new(),
            last_parent: 0,
            pending_figure: None,
        }
    }
}

impl Structure {
    fn add(&mut self, parent: usize, role: Role) -> usize {
        let id = self.nodes.len();
        self.nodes.push(SNode {
            role,
            children: Vec::new(),
            text: String::new(),
        });
        self.nodes[parent].children.push(Child::Node(id));
        id
    }

    fn keyed(&mut self, key: Key, parent: usize, role: Role) -> usize {
        if let Some(&n) = self.index.get(&key) {
            return n;
        }
        let n = self.add(parent, role);
        self.index.insert(key, n);
        n
    }

    /// The node of block `b` (made, with its section and item, the first
    /// time the block is seen), with `text` added to its text.
    pub(super) fn block(&mut self, b: &BlockRef, text: &str) -> usize {
        let mut parent = 0;
        if let Some(s) = b.section {
            parent = self.keyed(Key::Section(s), parent, Role::Section);
            if let Some(i) = b.item {
                parent = self.keyed(Key::Item(s, i), parent, Role::Item);
            }
        }
        if b.kind == LineKind::Caption
            && let Some((alt, id)) = self.pending_figure.take()
        {
            self.figure_in(parent, alt, id);
        } else {
            self.flush_figure();
        }
        self.last_parent = parent;
        let (parent, role) = match b.cell {
            Some(c) => (
                self.row(parent, c),
                Role::Cell {
                    col: c.col,
                    header: c.header,
                },
            ),
            None => (parent, Role::Block(b.kind)),
        };
        let n = self.keyed(Key::Block(b.kind, b.para), parent, role);
        self.nodes[n].text.push_str(text);
        n
    }

    /// The row node of cell `c` (made, with its table, the first time it
    /// is seen) in container `parent`.
    fn row(&mut self, parent: usize, c: CellRef) -> usize {
        let table = self.keyed(Key::Table(c.table), parent, Role::Table);
        let role = Role::Row {
            cols: c.cols,
            header: c.header,
        };
        self.keyed(Key::Row(c.table, c.row), table, role)
    }

    /// Marked content `id` of node `n`.
    pub(super) fn content(&mut self, n: usize, id: Identifier) {
        self.nodes[n].children.push(Child::Leaf(id));
    }

    /// An image (marked content `id`) with alternative text `alt`.
    pub(super) fn figure(&mut self, alt: &str, id: Identifier) {
        self.flush_figure();
        self.pending_figure = Some((alt.to_string(), id));
    }

    fn figure_in(&mut self, parent: usize, alt: String, id: Identifier) {
        let f = self.add(parent, Role::Figure(alt));
        self.content(f, id);
    }

    fn flush_figure(&mut self) {
        if let Some((alt, id)) = self.pending_figure.take() {
            self.figure_in(self.last_parent, alt, id);
        }
    }

    /// A link annotation `id` inside block node `n`.
    pub(super) fn link(&mut self, n: usize, id: Identifier) {
        let l = self.add(n, Role::Link);
        self.content(l, id);
    }

    /// The tag tree, in reading order, for a document in `lang`.
    pub(super) fn into_tree(mut self, lang: &str) -> TagTree {
        self.flush_figure();
        let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
        let mut taken: Vec<Option<SNode>> = self.nodes.into_iter().map(Some).collect();
        let root = taken[0].take().map(|n| n.children).unwrap_or_default();
        for c in root {
            let top = Levels {
                title: 2,
                heading: 2,
            };
            if let Some(node) = convert(c, &mut taken, top) {
                tree.push(node);
            }
        }
        tree
    }
}

/// Whether node `n` has a child block of `kind`.
fn has_block(nodes: &[Option<SNode>], n: &SNode, kind: LineKind) -> bool {
    n.children.iter().any(|c| match c {
        Child::Node(i) => nodes[*i]
            .as_ref()
            .is_some_and(|m| matches!(m.role, Role::Block(k) if k == kind)),
        Child::Leaf(_) => false,
    })
}

fn heading(level: u16, title: &str) -> TagKind {
    let level = NonZeroU16::new(level.max(1)).unwrap_or(NonZeroU16::MIN);
    Tag::Hn(level, Some(title.to_string())).into()
}

/// Heading levels inside a node: of an item's title and of headings in
/// an item's text.
#[derive(Debug, Clone, Copy)]
struct Levels {
    title: u16,
    heading: u16,
}

/// Node `c` as a krilla node, its headings at `lv`.
fn convert(c: Child, nodes: &mut [Option<SNode>], lv: Levels) -> Option<Node> {
    let i = match c {
        Child::Leaf(id) => return Some(Node::Leaf(id)),
        Child::Node(i) => i,
    };
    let n = nodes[i].take()?;
    let (tag, inner): (TagKind, Levels) = match &n.role {
        Role::Root => return None,
        Role::Section => {
            // Under the section's H2, or straight under the masthead's H1.
            let title = if has_block(nodes, &n, LineKind::SectionHeading) {
                3
            } else {
                2
            };
            let inner = Levels {
                title,
                heading: title,
            };
            (Tag::Section.into(), inner)
        }
        Role::Item => {
            let heading = if has_block(nodes, &n, LineKind::Title) {
                lv.title + 1
            } else {
                lv.title
            };
            let inner = Levels {
                title: lv.title,
                heading,
            };
            (Tag::Article.into(), inner)
        }
        Role::Block(kind) => {
            let tag = match kind {
                LineKind::Masthead => heading(1, &n.text),
                LineKind::SectionHeading => heading(2, &n.text),
                LineKind::Title => heading(lv.title, &n.text),
                LineKind::Heading => heading(lv.heading, &n.text),
                LineKind::Caption => Tag::Caption.into(),
                _ => Tag::P.into(),
            };
            (tag, lv)
        }
        Role::Table => (Tag::Table.into(), lv),
        Role::Row { cols, header } => {
            return Some(Node::Group(table_row(
                n.children, *cols, *header, nodes, lv,
            )));
        }
        Role::Cell { header: true, .. } => (Tag::TH(TableHeaderScope::Column).into(), lv),
        Role::Cell { header: false, .. } => (Tag::TD.into(), lv),
        Role::Figure(alt) => (Tag::Figure(Some(alt.clone())).into(), lv),
        Role::Link => (Tag::Link.into(), lv),
    };
    let mut g = TagGroup::new(tag);
    for c in n.children {
        if let Some(node) = convert(c, nodes, inner) {
            g.push(node);
        }
    }
    Some(Node::Group(g))
}

/// A TR of `cols` cells: the row's cells in column order, an empty TH or
/// TD standing in for a cell with no text (which printed nothing), so
/// that every row has the table's number of columns.
fn table_row(
    children: Vec<Child>,
    cols: usize,
    header: bool,
    nodes: &mut [Option<SNode>],
    lv: Levels,
) -> TagGroup {
    let mut by_col: Vec<Option<Child>> = (0..cols).map(|_| None).collect();
    for c in children {
        let col = match &c {
            Child::Node(i) => match nodes[*i].as_ref().map(|n| &n.role) {
                Some(Role::Cell { col, .. }) => Some(*col),
                _ => None,
            },
            Child::Leaf(_) => None,
        };
        if let Some(slot) = col.and_then(|k| by_col.get_mut(k)) {
            *slot = Some(c);
        }
    }
    let mut row = TagGroup::new(Tag::TR);
    for c in by_col {
        let node = match c {
            Some(c) => convert(c, nodes, lv),
            None if header => Some(Node::Group(TagGroup::new(Tag::TH(
                TableHeaderScope::Column,
            )))),
            None => Some(Node::Group(TagGroup::new(Tag::TD))),
        };
        if let Some(node) = node {
            row.push(node);
        }
    }
    row
}
