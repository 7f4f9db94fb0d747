//! The masthead: the bulletin's name in red, the issue number, publisher
//! and date, and the red rule under them.

use super::flow::{FlowBox, FlowContent, PreparedLine};
use super::line;
use super::output::{BLACK, Element, LineInfo, LineKind};
use super::prepare::Engine;
use crate::fonts::{Role, TextLoc};
use crate::model::Issue;

/// Line height of the masthead title, in em.
const MASTHEAD_LEADING: f32 = 1.5;

impl Engine<'_> {
    /// The masthead's boxes, appended to `out`; `cfg_loc` locates a
    /// configured text in the configuration file.
    pub(super) fn masthead(
        &mut self,
        issue: &Issue,
        cfg_loc: &dyn Fn(&str) -> TextLoc,
        out: &mut Vec<FlowBox>,
    ) {
        let cfg = self.cfg;
        let red = cfg.masthead_color;

        // Masthead.
        let p = self.para(
            vec![Self::seg(
                Role::Masthead,
                issue.title.clone(),
                cfg_loc(&issue.title),
            )],
            cfg.masthead_size,
            cfg.masthead_size,
            red,
        );
        self.centred_boxes(
            &p,
            LineKind::Masthead,
            cfg.masthead_size * MASTHEAD_LEADING,
            false,
            true,
            out,
        );
        let info = cfg.masthead_info_size;
        let info_cell = self.cell * info / cfg.body_size;
        let p = self.para(
            vec![Self::seg(
                Role::Body,
                issue.number_label(),
                TextLoc::Generated,
            )],
            info,
            info_cell,
            BLACK,
        );
        self.centred_boxes(&p, LineKind::Number, self.pitch, false, true, out);
        if let Some(t) = issue.total_label() {
            let p = self.para(
                vec![Self::seg(Role::Body, t, TextLoc::Generated)],
                info,
                info_cell,
                BLACK,
            );
            self.centred_boxes(&p, LineKind::Number, self.pitch, false, true, out);
        }
        // Publisher left, date right, on one line.
        let pubp = self.para(
            vec![Self::seg(
                Role::Body,
                issue.publisher.clone(),
                cfg_loc(&issue.publisher),
            )],
            info,
            info_cell,
            BLACK,
        );
        let datep = self.para(
            vec![Self::seg(
                Role::Body,
                issue.date_label(),
                TextLoc::Generated,
            )],
            info,
            info_cell,
            BLACK,
        );
        let bl = Self::baseline(self.pitch, info);
        let pub_set = line::set_line(&pubp.clusters, 0..pubp.clusters.len(), self.width, false);
        let date_set = line::set_line(&datep.clusters, 0..datep.clusters.len(), self.width, false);
        let mut elements = self.line_elements(&pubp, &pub_set, 0.0, bl);
        let date_x = self.width - date_set.width;
        elements.extend(self.line_elements(&datep, &date_set, date_x, bl));
        let rule_w = self.mm(cfg.masthead_rule);
        // The red rule sits a third of a line under the info line.
        let rule_y = self.pitch + self.pitch / 3.0;
        elements.push(Element::Rule {
            x0: 0.0,
            x1: self.width,
            y: rule_y,
            width: rule_w,
            color: red,
        });
        let para = self.para_counter;
        self.para_counter += 1;
        out.push(FlowBox {
            height: rule_y + self.pitch * cfg.masthead_space_after,
            space_before: 0.0,
            keep_with_next: true,
            content: FlowContent::Line(PreparedLine {
                elements,
                info: LineInfo {
                    page: 0,
                    kind: LineKind::Info,
                    text: format!("{}{}", issue.publisher, issue.date_label()),
                    x: 0.0,
                    baseline: bl,
                    width: self.width,
                    measure: self.width,
                    last: true,
                    para,
                    stretch: 0.0,
                    split: false,
                    cell: None,
                },
            }),
        });
    }
}
