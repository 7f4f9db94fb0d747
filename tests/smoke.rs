mod common;
use common::*;

#[test]
fn example_issue_builds_html() {
    let out = TempDir::new("smoke");
    let o = run(
        &repo_root(),
        &[
            "build",
            "39",
            "--format",
            "html",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let html = std::fs::read_to_string(out.join("39/南阳民政工作动态第39期.html")).unwrap();
    assert!(html.contains("市民政局召开冬季民政服务机构安全工作推进会"));
}
