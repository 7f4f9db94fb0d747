//! `bulletin build --all`: every issue plus the archive index and feed.

use std::process::ExitCode;

use bulletin::diag::display_path;
use bulletin::ops::{build::BuildRequest, build_all};
use bulletin::workspace::Workspace;

pub fn run(ws: &Workspace, req: &BuildRequest) -> ExitCode {
    let result = match build_all::build_all(ws, req) {
        Ok(r) => r,
        Err(diags) => {
            eprintln!("编排失败，没有写出任何文件。");
            return super::report_failure(&diags, Some(&ws.root));
        }
    };
    super::print_diagnostics(&result.warnings, Some(&ws.root));
    for note in &result.notes {
        eprintln!("注意：{note}");
    }
    if result.issues.is_empty() {
        println!("工作区里还没有任何一期。");
    }
    let (mut built, mut skipped) = (0, 0);
    for o in &result.issues {
        if o.held_back {
            skipped += 1;
            if o.kept_final {
                println!(
                    "第{}期：签核未全部有效，没有重新编排；继续发布上次的正式版",
                    o.number
                );
            } else {
                println!(
                    "第{}期：签核未全部有效，没有编排（送审稿要一并编排、发布，加 --drafts）",
                    o.number
                );
            }
        } else if o.skipped {
            skipped += 1;
            println!("第{}期：内容未改动，跳过", o.number);
        } else {
            built += 1;
            println!("第{}期：已编排（{} 篇稿件）", o.number, o.items);
            for p in &o.outputs {
                println!("  {}", display_path(p, Some(&ws.root)));
            }
        }
    }
    for p in &result.archive_files {
        println!("已更新 {}", display_path(p, Some(&ws.root)));
    }
    println!(
        "共 {} 期：编排 {built} 期，跳过 {skipped} 期",
        result.issues.len()
    );
    ExitCode::SUCCESS
}
