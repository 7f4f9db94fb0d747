#!/usr/bin/env python3
"""Writes the seed corpus for the fuzz targets (run once; `cargo fuzz cmin`
then keeps it small). The texts are invented, in the shape of real county
submissions."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

ARTICLES = [
    ("唐河县民政局召开冬季救助工作部署会", "唐河县民政局", "2025-11-18", "工作动态",
     "11月18日，唐河县民政局召开冬季救助工作部署会，安排入冬以来困难群众基本生活保障工作。\n\n"
     "会议要求，**一要摸清底数**，对分散供养特困人员逐户走访；**二要备足物资**，棉衣棉被年底前发放到位；"
     "*三要畅通渠道*，公布救助热线，做到“有求必应”。\n\n截至目前，全县已走访困难家庭1260户。"),
    ("西峡县推进“一站式”婚姻登记服务", "西峡县民政局", "2025-12-01", "工作动态",
     "# 一、基本情况\n\n西峡县婚姻登记处优化办事流程，实现材料“一次提交”。\n\n"
     "## （一）主要做法\n\n1. 预约办理；\n2. 颁证仪式；\n3. 婚育辅导。\n\n"
     "> 群众评价：办事快、环境好。\n\n![颁证现场](照片.png)\n\n详见[县政府网站](https://www.example.gov.cn)。"),
    (None, "社会救助科", "2025-12-03", "简讯",
     "12月3日，市民政局社会救助科赴桐柏县督导低保专项治理工作，抽查档案45份。"),
    ("淅川县开展养老机构消防安全检查", "淅川县民政局", "2025-11-29", "工作动态",
     "近日，淅川县民政局联合消防救援大队，对全县23家养老机构开展消防安全检查。  \n"
     "检查组逐一查看了消防通道、灭火器材和用电线路，现场整改问题11处。\n\n"
     "```\n检查表 第1页\n```\n\n<b>附</b>：整改清单另发。\n\n"
     "[内部链接](javascript:alert(1)) ![外链](外链.png) ![上级](../../etc/passwd)"),
]

def sub(title, unit, date, cat, body, crlf=False, bom=False):
    lines = ["+++"]
    if title is not None:
        lines.append(f'title = "{title}"')
    lines += [f'unit = "{unit}"', f"date = {date}", f'category = "{cat}"', "order = 2", "+++", "", body, ""]
    t = "\n".join(lines)
    if crlf:
        t = t.replace("\n", "\r\n")
    if bom:
        t = "\ufeff" + t
    return t

BAD = [
    '---\ntitle: 标题\n---\n正文',
    '+++\ntitle = "未结束\nunit = 1\n',
    '+++\ntitel = "拼错的键"\nunit = "县局"\ndate = 2025-13-40\ncategory = "工作动态态"\nexcerpt = "是"\n+++\n\n正文。\n',
    '+++\ntitle = ""\nunit = []\ndate = "昨天"\ncategory = "简讯"\norder = 1.5\n+++\n',
    '\n\n  +++\n[x]\na = {b = 1}\n+++\n\n正文',
]

CONFIG = open(os.path.join(HERE, "fuzz_targets", "common.rs"), encoding="utf-8").read()
CONFIG = CONFIG.split('pub const CONFIG: &str = r#"', 1)[1].split('"#;', 1)[0]
ISSUE = "number = 39\ndate = 2025-12-08\ntotal_number = 120\norder = [\"01.md\"]\n[footer]\ncopies = 80\n"

def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

subs = [sub(*a) for a in ARTICLES]
for i, s in enumerate(subs):
    write("front_matter", f"seed-{i}", s)
    write("markdown", f"seed-{i}", s.split("+++", 2)[2])
write("front_matter", "seed-crlf-bom", sub(*ARTICLES[0], crlf=True, bom=True))
write("front_matter", "seed-gbk", sub(*ARTICLES[0]).encode("gb18030"))
write("front_matter", "seed-utf16", sub(*ARTICLES[2]).encode("utf-16"))
for i, b in enumerate(BAD):
    write("front_matter", f"seed-bad-{i}", b)
    write("whole_build", f"seed-bad-{i}", b"\xff" + ISSUE.encode() + b"\xff" + b.encode())
sep = b"\xff"
write("whole_build", "seed-full", sep.join([CONFIG.encode(), ISSUE.encode()] + [s.encode() for s in subs]))
write("whole_build", "seed-default-config", sep.join([b"", ISSUE.encode()] + [s.encode() for s in subs[:2]]))
write("whole_build", "seed-bad-config", sep.join([b'title = "x"\npublisher = 3\n[[sections]]\nname = ""\n', ISSUE.encode()]))

# intake_text: files as county offices send them.
write("intake_text", "seed-gbk", sub(*ARTICLES[0], crlf=True).encode("gb18030"))
write("intake_text", "seed-utf16", sub(*ARTICLES[2]).encode("utf-16"))
write("intake_text", "seed-crlf-bom", sub(*ARTICLES[0], crlf=True, bom=True))
write("intake_text", "seed-txt-gbk",
      "方城县召开养老服务推进会\r\n\r\n　　12月2日，方城县召开养老服务推进会。\r\n1. 要落实责任；\r\n"
      "* 要*强调*，<b>标签</b> &amp; [链接](http://x) `代码` # 井号\r\n".encode("gb18030"))
write("intake_text", "seed-txt-blank", "标题\n\n第一段前半\n第一段后半。\n\n第二段 --- ___ ~~~ > 引用\n")

# check: submissions with something for most rules to find.
for i, s in enumerate(subs):
    write("check", f"seed-{i}", s)
write("check", "seed-punct", sub("标题，", "县民政局", "2025-12-01", "工作动态",
      "会议强调,要落实 “责任（一）1.要做好 。。 ... -- 中 文 １２ 三、五天 15～30% and more “未闭合\n\n"
      "<!-- bulletin:allow P013 英文 -->\n正文english正文。2025.01.01 25年1月1日 2025-1-1"))
write("check", "seed-many", sub("逗号", "县民政局", "2025-12-01", "工作动态", "中," * 200))

# images: small real images and lying headers.
import struct, zlib
def png(w, h, depth=8, colour=0, rows=None):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour, 1) * max(depth, 8) // 8
    raw = b"".join(b"\0" + b"\0" * (w * bpp) for _ in range(rows if rows is not None else h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
write("images", "seed-png-grey", png(4, 3))
write("images", "seed-png-rgba16", png(2, 2, 16, 6))
write("images", "seed-png-header-bomb", png(100000, 100000, 8, 6, rows=0))
write("images", "seed-png-truncated", png(64, 64)[:60])
write("images", "seed-gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
      b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
write("images", "seed-jpeg-header", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
      b"\xff\xc0\x00\x11\x08\xff\xff\xff\xff\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9")
write("images", "seed-webp-vp8x", b"RIFF\x1e\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff")
