//! The roles of official-document typography: each has its own font list.

use crate::model::Style;

/// What a piece of text is, typographically; each role has its own font list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Publication name on page 1.
    Masthead,
    /// Item titles.
    Title,
    /// Body text, 第N期, publisher and date.
    Body,
    /// Bold runs (Hei).
    Bold,
    /// Emphasis runs, （节选）, quotes and captions (Kai).
    Emphasis,
    /// Section headings and level-1 headings inside an item (一、).
    Heading1,
    /// Level-2 headings （一）.
    Heading2,
    /// Level-3 and deeper headings.
    Heading3,
    /// "— 1 —".
    PageNumber,
    /// End block (版记) lines.
    Footer,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::Masthead,
        Role::Title,
        Role::Body,
        Role::Bold,
        Role::Emphasis,
        Role::Heading1,
        Role::Heading2,
        Role::Heading3,
        Role::PageNumber,
        Role::Footer,
    ];

    /// The key of this role in `[fonts]`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Masthead => "masthead",
            Role::Title => "title",
            Role::Body => "body",
            Role::Bold => "bold",
            Role::Emphasis => "emphasis",
            Role::Heading1 => "heading1",
            Role::Heading2 => "heading2",
            Role::Heading3 => "heading3",
            Role::PageNumber => "page_number",
            Role::Footer => "footer",
        }
    }

    /// What the role prints, in Chinese: `标题`, `正文` ….
    pub fn label(self) -> &'static str {
        match self {
            Role::Masthead => "报头刊名",
            Role::Title => "稿件标题",
            Role::Body => "正文",
            Role::Bold => "加粗",
            Role::Emphasis => "强调（楷体）",
            Role::Heading1 => "一级标题",
            Role::Heading2 => "二级标题",
            Role::Heading3 => "三级标题",
            Role::PageNumber => "页码",
            Role::Footer => "版记",
        }
    }

    /// The embedded default face of this role.
    pub fn default_face(self) -> &'static str {
        match self {
            Role::Masthead | Role::Title => "FandolSong-Bold",
            Role::Body | Role::Heading3 | Role::Footer => "FandolFang-Regular",
            Role::Bold | Role::Heading1 => "FandolHei-Regular",
            Role::Emphasis | Role::Heading2 => "FandolKai-Regular",
            Role::PageNumber => "FandolSong-Regular",
        }
    }

    /// The role of a run of `style` inside text of role `self`.
    pub fn styled(self, style: Style) -> Role {
        if style.strong {
            Role::Bold
        } else if style.emphasis {
            Role::Emphasis
        } else {
            self
        }
    }

    /// The role of an item's heading of `level`.
    pub fn heading(level: u8) -> Role {
        match level {
            0 | 1 => Role::Heading1,
            2 => Role::Heading2,
            _ => Role::Heading3,
        }
    }
}
