//! The reader on real Word files (tests/fixtures/docx/, made by
//! python-docx and LibreOffice: see make_fixtures.py there), asserting
//! the exact Markdown.

use chrono::NaiveDate;

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 8).unwrap()
}

fn draft(bytes: &[u8], stem: &str) -> Result<Draft, Vec<String>> {
    let defaults = Defaults::default();
    read(&Input {
        bytes,
        file_stem: stem,
        defaults: &defaults,
        known_units: &[],
        brief: false,
        today: today(),
    })
}

/// The submission text with pictures named 图1.png, 图2.png, …
fn md(bytes: &[u8], stem: &str) -> String {
    let d = draft(bytes, stem).unwrap();
    let names: Vec<String> = d
        .pictures
        .iter()
        .enumerate()
        .map(|(i, p)| format!("图{}.{}", i + 1, p.ext))
        .collect();
    d.markdown("工作动态", &names)
}

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/docx/",
            $name
        ))
    };
}

const BASIC_BODY: &str = "
12月5日，南召县民政局召开专题会议，**部署冬季救助工作**，要求*应保尽保*。

# 一、主要做法

全县不加粗的文字和“**重点对象**”一起排查。

## （一）摸底排查

- 走访低保家庭
- 走访特困人员

1. 建立工作台账
2. 每周调度进展

| 项目 | 数量 |
| --- | --- |
| 走访户数 | 1200 |
| 发放棉被 | 300\\|床 |

![图1 工作人员入户走访](图1.png)

下一步，将持续做好困难群众兜底保障。
";

fn front(title: &str, unit: &str, date: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nunit = \"{unit}\"\ndate = {date}\ncategory = \"工作动态\"\n+++\n"
    )
}

/// python-docx with built-in styles: the title, a date split into runs,
/// bold (and `w:b w:val="0"`), italic, heading styles, both kinds of list,
/// a table, an image with its caption, the unit in brackets at the end.
#[test]
fn python_docx_basic() {
    let bytes = fixture!("南召县民政局_2025-12-05_冬季救助.docx");
    let stem = "南召县民政局_2025-12-05_冬季救助";
    assert_eq!(
        md(bytes, stem),
        format!(
            "{}{BASIC_BODY}",
            front(
                "南召县开展冬季困难群众救助工作",
                "南召县民政局",
                "2025-12-05"
            )
        )
    );
    let d = draft(bytes, stem).unwrap();
    assert_eq!(d.pictures.len(), 1);
    assert_eq!(d.pictures[0].ext, "png");
    assert!(d.pictures[0].bytes.starts_with(b"\x89PNG"));
    for note in [
        "标题“南召县开展冬季困难群众救助工作”：取自“标题”样式的段落",
        "来源单位“南召县民政局”：取自文末的“（南召县民政局）”",
        "日期 2025-12-05：取自文件名",
        "表格 1 个转为 Markdown 表格",
        "图片说明 1 条取自图片下一段",
    ] {
        assert!(d.notes.iter().any(|n| n == note), "{note}: {:?}", d.notes);
    }
}

/// LibreOffice's own .docx of the same document, and the .docx of a
/// .docx → .doc → .docx round trip (where 12月5日 comes back as the runs
/// "12", "月", "5", "日，…"): the same Markdown.
#[test]
fn libreoffice_written_and_round_tripped() {
    let stem = "唐河县民政局_2025-12-05_冬季救助";
    let want = format!(
        "{}{BASIC_BODY}",
        front(
            "南召县开展冬季困难群众救助工作",
            "南召县民政局",
            "2025-12-05"
        )
    );
    assert_eq!(md(fixture!("libreoffice.docx"), stem), want);
    let round_trip = fixture!("roundtrip.docx");
    let xml = {
        let mut pkg = Package::open(round_trip).unwrap();
        String::from_utf8(pkg.read("word/document.xml", MAX_PART).unwrap().unwrap()).unwrap()
    };
    assert!(xml.contains("<w:t>12</w:t></w:r><w:r><w:rPr></w:rPr><w:t>月</w:t>"));
    assert_eq!(md(round_trip, stem), want);
}

/// As a clerk types in WPS: full-width and formatted indents, empty
/// paragraphs, a page break, typed lead lines, the 来源 line, the unit and
/// the date at the end; Markdown characters in the text stay text.
#[test]
fn wps_style_habits() {
    let stem = "西峡县民政局关于养老服务工作的信息";
    let bytes = fixture!("西峡县民政局关于养老服务工作的信息.docx");
    let want = format!(
        "{}{}",
        front("西峡县推进居家养老服务", "西峡县民政局", "2025-12-03"),
        "
今年以来，西峡县民政局多措并举推进居家养老服务，

全县建成社区养老服务站18个。

# 一、基本情况

全县60岁以上老年人8.2万人。

## （一）强化组织领导

### 1.建立工作台账

（二）完善服务设施。全县新建助餐点12个，覆盖所有乡镇。

### 2、\\*星号\\*和\\#号照原样保留

\\# 号开头的一段，不是标题。

1\\. 开头的文字不是列表。这是正文。
"
    );
    assert_eq!(md(bytes, stem), want);
    let d = draft(bytes, stem).unwrap();
    for note in [
        "标题“西峡县推进居家养老服务”：取自居中加粗的第一段",
        "来源单位“西峡县民政局”：取自“来源：西峡县民政局”一行",
        "日期 2025-12-03：取自文末的日期“2025年12月3日”",
        "去掉段首空格缩进 3 段",
        "去掉空段 4 个",
        "去掉分页符 1 处",
        "去掉文末的“西峡县民政局”（来源单位已有）",
    ] {
        assert!(d.notes.iter().any(|n| n == note), "{note}: {:?}", d.notes);
    }
}

/// Automatic numbering generated from numbering.xml (chineseCounting,
/// `（%2）`, decimal; counters reset per level), Chinese style ids ("1",
/// "2", "a5") looked up by name and basedOn; unit and date only in the
/// document properties.
#[test]
fn automatic_numbering_and_chinese_style_ids() {
    let bytes = fixture!("新建 Microsoft Word 文档.docx");
    let stem = "新建 Microsoft Word 文档";
    let want = format!(
        "{}{}",
        front("内乡县提升敬老院服务质量", "内乡县民政局", "2025-12-04"),
        "
内乡县民政局持续提升敬老院服务质量。

# 一、主要做法

## （一）改善住养条件

### 1.更新床位

### 2.配备护理员

## （二）加强安全管理

### 1.开展消防检查

# 二、下一步打算

继续推进敬老院改造提升。

# 二级标题样式

## 基于标题的自定义样式
"
    );
    assert_eq!(md(bytes, stem), want);
    let d = draft(bytes, stem).unwrap();
    assert!(
        d.notes
            .contains(&"来源单位“内乡县民政局”：取自文档属性（作者），请核对".to_string())
    );
    assert!(d.notes.contains(&"自动编号写成文字 7 处".to_string()));
}

/// Properties dates older than a year are not trusted: `--date` then.
#[test]
fn stale_property_dates_give_way_to_the_command_line() {
    let bytes = fixture!("新建 Microsoft Word 文档.docx");
    let defaults = Defaults::default();
    let input = |today, defaults| Input {
        bytes,
        file_stem: "新建 Microsoft Word 文档",
        defaults,
        known_units: &[],
        brief: false,
        today,
    };
    let later = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let e = read(&input(later, &defaults)).unwrap_err();
    assert!(e[0].starts_with("无法得知日期"), "{e:?}");
    assert!(e[0].contains("--date"), "{e:?}");
    let with_date = Defaults {
        date: NaiveDate::from_ymd_opt(2026, 12, 30),
        ..Defaults::default()
    };
    let d = read(&input(later, &with_date)).unwrap();
    assert_eq!(d.date, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap());
    assert!(
        d.notes
            .contains(&"日期 2026-12-30：取自 --date".to_string())
    );
}

/// Tracked changes accepted, moves at their target, a comment dropped,
/// field codes dropped and results kept, hyperlinks and content controls
/// read through, a wholly deleted paragraph gone.
#[test]
fn tracked_changes_comments_fields() {
    let stem = "镇平县民政局_2025-12-06_殡葬检查";
    let bytes = fixture!("镇平县民政局_2025-12-06_殡葬检查.docx");
    let want = format!(
        "{}{}",
        front("镇平县开展殡葬领域安全检查", "镇平县民政局", "2025-12-06"),
        "
12月6日，镇平县民政局联合应急部门开展殡葬领域安全检查。

检查组逐一检查了殡仪馆和公墓。

发现问题7处，已全部整改。

统计截至2025年12月6日，共3页材料。

详见附件和检查清单。
"
    );
    assert_eq!(md(bytes, stem), want);
    let d = draft(bytes, stem).unwrap();
    for note in [
        "修订按接受处理：保留插入 1 处，去掉删除 2 处，移动 1 处",
        "去掉批注 1 条",
        "域（页码、日期等）2 个只保留显示的结果",
    ] {
        assert!(d.notes.iter().any(|n| n == note), "{note}: {:?}", d.notes);
    }
}

/// Where the document says nothing, the problem names what is missing
/// and how to give it; a 简讯 has no title, its first line stays text.
#[test]
fn brief_and_missing_metadata() {
    let bytes = fixture!("镇平县民政局_2025-12-06_殡葬检查.docx");
    let defaults = Defaults::default();
    let e = read(&Input {
        bytes,
        file_stem: "稿件",
        defaults: &defaults,
        known_units: &[],
        brief: false,
        today: today(),
    })
    .unwrap_err();
    // The unit is in the text (（镇平县民政局）); only the date is missing.
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("无法得知日期："), "{e:?}");
    assert!(
        e[0].contains("稿件.docx") && e[0].contains("--date"),
        "{e:?}"
    );
    let wps = fixture!("西峡县民政局关于养老服务工作的信息.docx");
    let d = read(&Input {
        bytes: wps,
        file_stem: "x",
        defaults: &defaults,
        known_units: &[],
        brief: true,
        today: today(),
    })
    .unwrap();
    assert_eq!(d.title, None);
    let text = d.markdown("简讯", &[]);
    assert!(
        text.contains("+++\n\n**西峡县推进居家养老服务**\n\n今年以来，"),
        "{text}"
    );
}
