"""Every user-facing string of the dashboard, in Chinese and English.

Names of things in the data come from the data (``name_zh`` / ``name_en``) and labels of
coded values from ``lib.catalog``; everything else the screen says is here.
"""

from __future__ import annotations

from lib.catalog import Lang

STRINGS: dict[str, tuple[str, str]] = {
    # Frame and navigation
    "app.title": ("万峰湖黔滇桂三地接合部融合发展看板", "Wanfeng Lake tri-border dashboard"),
    "control.language": ("语言 Language", "语言 Language"),
    "control.quarter": ("季度", "Quarter"),
    "control.industry": ("产业", "Industry"),
    "control.all_industries": ("全部产业", "All industries"),
    "control.township": ("乡镇", "Township"),
    "control.all_townships": ("全部三个乡镇", "All three townships"),
    "page.overview": ("总览", "Overview"),
    "page.map": ("地图", "Map"),
    "page.industry": ("产业与就业", "Industry and jobs"),
    "page.tourism": ("文旅", "Tourism"),
    "page.governance": ("平安治理", "Governance"),
    "page.party": ("党建", "Party building"),
    # Data freshness and honesty
    "data.coverage": (
        "数据覆盖 {first} 至 {last}，最近一次文件更新：{modified}",
        "Data covers {first} to {last}; files last changed {modified}",
    ),
    "data.no_quarters": ("数据中没有季度记录。", "The data holds no quarters."),
    "data.honesty": (
        "标“报道”的数字出自{citation}，标“统计数据”的出自正式统计；其余为示例数据，仅作演示，待替换为正式统计。乡镇、湖泊、网格与线路形状为示意。",
        "Figures marked “reported” come from the {citation}, those marked “official statistics” from "
        "official returns; all others are illustrative sample figures for demonstration, to be replaced "
        "by official statistics. Township, lake, grid and route shapes are schematic.",
    ),
    "data.problems_title": (
        "{n} 个数据问题：相关行已略去，其余照常显示",
        "{n} data problems: the rows concerned are left out, the rest is shown",
    ),
    "data.file_unavailable": ("{file} 无法使用，此部分暂不显示。", "{file} cannot be used; this part is not shown."),
    "data.incomplete": ("数据不完整，见上方数据问题", "incomplete, see the data problems above"),
    "source.mixed": ("含示例数据", "includes illustrative figures"),
    # Headline figures
    "metric.output": ("产值（万元）", "Output (10k yuan)"),
    "metric.jobs": ("带动就业（人）", "Jobs (people)"),
    "metric.bases": ("产业联盟基地", "Alliance bases"),
    "metric.routes": ("生态一日游线路", "Eco-tour routes"),
    "metric.grids": ("治理网格", "Grids"),
    "metric.party_organisations": ("联合党组织", "Joint Party organisations"),
    "metric.vs_previous": ("较上季度", "vs previous quarter"),
    "metric.vs_year": ("较去年同期 {delta}", "{delta} vs a year earlier"),
    "metric.no_comparison": ("无可比数据", "no comparison"),
    # Map
    "map.schematic_note": (
        "示意图：乡镇、湖泊、网格与线路形状为示意，非法定界线",
        "Schematic: township, lake, grid and route shapes are not official boundaries",
    ),
    "map.legend": ("图例", "Legend"),
    "map.no_basemap": ("无底图（离线）", "No basemap (offline)"),
    "map.click_hint": (
        "点击要素查看详情；点击乡镇即选中该乡镇，点击三镇以外恢复全部。",
        "Click a feature for its details; click a township to select it, outside the three for all.",
    ),
    "map.length_km": ("长度（公里）", "Length (km)"),
    "map.fullscreen": ("全屏", "Full screen"),
    "map.tri_point": ("回到三省（区）交界点", "Back to the tri-point"),
    "map.show_all": ("显示全部三个乡镇", "Show all three townships"),
    "map.search": ("查找地点", "Find a place"),
    "map.search_hint": ("输入名称，如：三江口镇、Lubuge", "Type a name, e.g. 三江口镇 or Lubuge"),
    "map.search_none": ("没有找到这个名称。", "No place has that name."),
    # Charts
    "chart.output_by_quarter": ("各季度产值（万元）", "Output by quarter (10k yuan)"),
    "chart.jobs_by_quarter": ("各季度带动就业（人）", "Jobs by quarter (people)"),
    "chart.output_by_township": ("{quarter} 各乡镇产值（万元）", "Output by township, {quarter} (10k yuan)"),
    "chart.jobs_by_township": ("{quarter} 各乡镇就业（人）", "Jobs by township, {quarter} (people)"),
    "chart.visitors_by_quarter": ("各线路游客人次", "Visits by route"),
    "chart.mediation_by_quarter": ("矛盾纠纷受理与化解（件）", "Disputes received and resolved (cases)"),
    "chart.school_attendance": ("党校培训参加人次", "Party school attendance"),
    "chart.output": ("产值（万元）", "Output (10k yuan)"),
    "chart.jobs": ("就业（人）", "Jobs (people)"),
    "chart.visitors": ("人次", "Visits"),
    "chart.cases": ("件数", "Cases"),
    "chart.received": ("受理", "Received"),
    "chart.resolved": ("化解", "Resolved"),
    "chart.attendance": ("参加人次", "Attendances"),
    "chart.cumulative": ("累计人次", "Cumulative"),
    "chart.reported_marker": ("★ 报道数据", "★ reported figure"),
    "chart.illustrative_note": ("除★外均为示例数据", "All but ★ are illustrative"),
    # Pages
    "overview.figures": ("{quarter} 主要指标", "Headline figures, {quarter}"),
    "overview.map": ("三地一览", "The area at a glance"),
    "overview.charts": ("产值与就业", "Output and jobs"),
    "industry.bases": ("产业联盟基地", "Industry alliance bases"),
    "industry.enterprises": ("木材加工企业", "Wood-processing enterprises"),
    "industry.enterprises_note": (
        "报道：三江口镇已落户木材加工企业 22 家；企业名称与位置为示例。",
        "Reported: 22 wood-processing firms have settled in Sanjiangkou; names and positions are illustrative.",
    ),
    "tourism.routes": ("乡村生态一日游精品线路", "Boutique one-day rural eco-tours"),
    "tourism.routes_note": (
        "报道：推出精品线路 6 条；线路走向为示意，长度按线路几何以大地线计算。",
        "Reported: 6 boutique routes; courses are schematic, lengths are geodesic, computed from the route geometry.",
    ),
    "governance.grids": ("党建网格 + 警格", "Party grids and police grids"),
    "governance.sites": ("调处中心与派出所", "Mediation centre and police stations"),
    "governance.mediation": ("矛盾纠纷联调", "Joint dispute mediation"),
    "party.organisations": ("联合党组织", "Joint Party organisations"),
    "party.school": ("联合党工委党校", "Joint Party school"),
    "party.school_note": (
        "报道：党校 2023 年 7 月成立以来开展培训 10 期次，覆盖党员干部 500 余人次；各期明细为示例。",
        "Reported: since the school opened in July 2023, 10 sessions reached 500+ attendances; per-session details are illustrative.",
    ),
    "party.meetings": ("联合党工委季度会议（书记轮值）", "Quarterly joint-committee meetings (rotating secretary)"),
    # Columns computed for the screen (the others are headed by lib.catalog)
    "column.length_km": ("长度（公里）", "Length (km)"),
    "column.visitors": ("本季度游客人次", "Visits this quarter"),
    # The quarterly-meeting presentation
    "page.present": ("汇报", "Present"),
    "slides.title": (
        "黔滇桂跨省（区）联合党工委 {quarter}工作汇报",
        "Joint committee of the tri-border area: {quarter} report",
    ),
    "slides.title_summary": (
        "万峰湖黔滇桂三地接合部 · {places} · 同饮一湖水，共建一个家",
        "Wanfeng Lake tri-border area · {places} · one lake, one home",
    ),
    "slides.map": ("三地一览", "The area at a glance"),
    "slides.map_summary": (
        "三地已建成产业联盟基地 {bases} 个，推出生态一日游线路 {routes} 条，划分治理网格 {grids} 个。地图形状为示意。",
        "{bases} industry alliance bases, {routes} one-day eco-tour routes and {grids} governance grids. Shapes on the map are schematic.",
    ),
    "slides.headline": (
        "{name}：{value}，较上季度 {previous}，较去年同期 {year}（{source}）。",
        "{name}: {value}, {previous} on the previous quarter and {year} on a year earlier ({source}).",
    ),
    "slides.no_change_known": ("无可比数据", "no comparison"),
    "slides.wood": (
        "其中三江口镇木材加工产值 {value} 万元（{source}）。",
        "Of this, wood processing in Sanjiangkou: {value} (10k yuan) ({source}).",
    ),
    "slides.visits": (
        "本季度各线路游客共 {visits} 人次（{source}）。",
        "Visits on all routes this quarter: {visits} ({source}).",
    ),
    "slides.mediation": (
        "本季度受理矛盾纠纷 {received} 件，化解 {resolved} 件，化解率 {rate}（{source}）。",
        "Disputes this quarter: {received} received, {resolved} resolved, {rate} resolved ({source}).",
    ),
    "slides.school": (
        "联合党工委党校累计开展培训 {sessions} 期，覆盖 {attendance} 人次（{source}）。",
        "The joint Party school has held {sessions} sessions with {attendance} attendances so far ({source}).",
    ),
    "slides.meeting": (
        "本季度联合党工委会议由{chair}轮值书记主持，议题：{topic}（{source}）。",
        "This quarter's joint-committee meeting was chaired by {chair}'s secretary; topic: {topic} ({source}).",
    ),
    "slides.closing": ("{quarter}小结", "{quarter} in summary"),
    "slides.reported": ("报道数据", "reported figure"),
    "slides.illustrative": ("含示例数据", "includes illustrative figures"),
    "present.exit": ("退出汇报", "Leave"),
    "present.export": (
        "导出本季度汇报（HTML、PowerPoint、图表图片）",
        "Export this quarter's report (HTML, PowerPoint, chart pictures)",
    ),
    "present.make_exports": ("生成导出文件", "Make the files"),
    "slides.previous": ("上一页", "Previous"),
    "slides.next": ("下一页", "Next"),
    "slides.position": ("第 {n} / {total} 页", "Slide {n} of {total}"),
    "slides.keys": ("可用键盘 ← → 翻页", "Use the ← → keys to turn slides"),
    # The data page, for staff
    "page.data": ("数据管理", "Data"),
    "admin.intro": (
        "各数据文件的状态。查看者可下载数据和模板；编辑人员登录后可上传、在线编辑、查看历史与恢复。",
        "The state of every data file. Anyone may download the files and templates; editors sign in to upload, edit, see the history and restore.",
    ),
    "admin.file": ("文件", "File"),
    "admin.content": ("内容", "Content"),
    "admin.state": ("状态", "State"),
    "admin.state_ok": ("正常", "fine"),
    "admin.state_errors": ("有问题（{n} 个）", "{n} problems"),
    "admin.state_warnings": ("有提醒（{n} 个）", "{n} warnings"),
    "admin.rows": ("行数/要素数", "Rows or features"),
    "admin.modified": ("最近修改", "Last changed"),
    "admin.by": ("修改人", "By"),
    "admin.problems": ("问题清单", "Problems"),
    "admin.no_problems": ("所有文件均符合数据约定。", "Every file meets the data contract."),
    "admin.downloads": ("下载", "Downloads"),
    "admin.download_file": ("下载 {file}", "Download {file}"),
    "admin.download_template": ("{file} 空白模板", "Empty template of {file}"),
    "admin.choose_file": ("选择文件", "File"),
    "admin.sign_in": ("编辑人员登录", "Editor sign-in"),
    "admin.name": ("用户名", "Name"),
    "admin.password": ("密码", "Password"),
    "admin.sign_in_button": ("登录", "Sign in"),
    "admin.sign_out": ("退出登录（{name}）", "Sign out ({name})"),
    "admin.signed_in_as": ("已登录：{name}", "Signed in as {name}"),
    "admin.wrong_password": ("用户名或密码不正确。", "Wrong name or password."),
    "admin.wait": (
        "登录失败次数过多，请 {seconds:.0f} 秒后再试。",
        "Too many failed sign-ins: try again in {seconds:.0f} s.",
    ),
    "admin.no_editors": (
        "尚未设置编辑人员：在服务器上运行 python scripts/editors.py add 用户名。",
        "No editors yet: run python scripts/editors.py add NAME on the server.",
    ),
    "admin.upload": ("上传替换文件", "Upload a replacement"),
    "admin.upload_help": (
        "表格：CSV（UTF-8 / GBK 均可）或 Excel .xlsx；图层：GeoJSON 或压缩的 Shapefile（.zip）。保存前先检查并预览变化。",
        "Tables: CSV (UTF-8 or GBK) or Excel .xlsx; layers: GeoJSON or a zipped shapefile. Checked and previewed before anything is saved.",
    ),
    "admin.refused": (
        "文件有问题，不能保存；原文件未改动。",
        "The file has problems and cannot be saved; the current file is untouched.",
    ),
    "admin.changes": ("与当前文件相比：{summary}", "Against the current file: {summary}"),
    "admin.added": ("新增", "added"),
    "admin.removed": ("删除", "removed"),
    "admin.changed": ("修改", "changed"),
    "admin.record": ("记录", "Record"),
    "admin.fields": ("修改的字段", "Fields changed"),
    "admin.no_changes": ("与当前文件相同，无需保存。", "Same as the current file: nothing to save."),
    "admin.accept_warnings": ("我已知晓以上提醒，仍要保存", "I have read the warnings above; save anyway"),
    "admin.save": ("保存", "Save"),
    "admin.saved": ("已保存 {file}；上一版本已存入历史。", "Saved {file}; the previous version is in the history."),
    "admin.conflict": (
        "保存未成功：{file} 在您开始后已被其他人修改。您的内容没有丢失，请下载备份、刷新后重新合并。",
        "Not saved: someone changed {file} after you started. Nothing of yours is lost: download it, reload, and merge again.",
    ),
    "admin.download_mine": ("下载我的版本", "Download my version"),
    "admin.save_failed": (
        "保存失败，{file} 未改动（{error}）。请联系管理员。",
        "Saving failed and {file} is unchanged ({error}). Ask the administrator.",
    ),
    "admin.save_failed_full": (
        "服务器磁盘已满，{file} 未保存、未改动。请联系管理员清理磁盘后再保存。",
        "The server's disk is full: {file} was not saved and is unchanged. Ask the administrator to free space, then save again.",
    ),
    "admin.save_failed_permission": (
        "看板无权写入 {folder}，{file} 未保存、未改动。请联系管理员。",
        "The dashboard may not write in {folder}: {file} was not saved and is unchanged. Ask the administrator.",
    ),
    "admin.data_folder": ("数据文件夹", "the data folder"),
    "admin.save_busy": (
        "另一位同事正在保存，{file} 未保存。请稍候再点保存。",
        "Someone else is saving: {file} was not saved. Click save again in a moment.",
    ),
    "admin.edit": ("在线编辑表格", "Edit a table"),
    "admin.add_quarter": ("添加下一季度的行", "Add the rows of the next quarter"),
    "admin.history": ("历史版本与恢复", "History and restore"),
    "admin.no_history": ("此文件尚无保存记录。", "This file has not been saved here yet."),
    "admin.version": ("版本", "Version"),
    "admin.when": ("时间", "When"),
    "admin.who": ("操作人", "Who"),
    "admin.action": ("操作", "Action"),
    "admin.summary": ("变化", "What changed"),
    "admin.restore": ("恢复此版本", "Restore this version"),
    "admin.restored": ("已恢复 {file} 至 {version} 的版本。", "Restored {file} to the version of {version}."),
    "admin.audit": ("操作日志", "Audit log"),
    "admin.action_initial": ("原始版本", "original"),
    "admin.action_save": ("保存", "save"),
    "admin.action_restore": ("恢复", "restore"),
    # Problems with data files
    "problem.row": ("第 {n} 行", "line {n}"),
    "problem.feature": ("第 {n} 个要素", "feature {n}"),
    "problem.field": ("字段 {name}", "field {name}"),
    "problem.with_value": ("{text}（当前值 {value}）", "{text} (found {value})"),
    "problem.missing_file": ("文件不存在", "the file is missing"),
    "problem.unreadable": ("无法读取文件：{error}", "the file cannot be read: {error}"),
    "problem.not_text": (
        "不是 UTF-8 或 GBK 编码的文本（第 {position} 字节起），文件可能已损坏：请从历史版本恢复或重新上传",
        "not text in UTF-8 or GBK (from byte {position}): the file may be damaged; restore a version or upload it again",
    ),
    "problem.not_csv": ("不是有效的 CSV 表格：{error}", "not a valid CSV table: {error}"),
    "problem.not_json": ("不是有效的 JSON（第 {line} 行：{error}）", "not valid JSON (line {line}: {error})"),
    "problem.not_feature_collection": ("应为 GeoJSON FeatureCollection", "expected a GeoJSON FeatureCollection"),
    "problem.wrong_crs": (
        "坐标系应为 WGS84 经纬度（EPSG:4326 / CRS84）或 CGCS2000（EPSG:4490）",
        "the coordinate system must be WGS84 lon/lat (EPSG:4326 / CRS84) or CGCS2000 (EPSG:4490)",
    ),
    "problem.missing_column": (
        "缺少必需的列（现有列：{columns}）",
        "a required column is missing (columns found: {columns})",
    ),
    "problem.missing_property": ("缺少必需的属性", "a required property is missing"),
    "problem.required": ("不能为空", "must not be empty"),
    "problem.not_integer": ("应为整数", "expected a whole number"),
    "problem.not_number": ("应为数字", "expected a number"),
    "problem.below_minimum": ("不能小于 {minimum:g}", "must not be less than {minimum:g}"),
    "problem.not_quarter": ("应为季度，如 2024Q1", "expected a quarter, like 2024Q1"),
    "problem.not_date": ("应为日期，如 2024-03-15", "expected a date, like 2024-03-15"),
    "problem.unknown_code": ("不是允许的代码，应为：{allowed}", "not an allowed code; expected one of: {allowed}"),
    "problem.duplicate": ("重复记录，只保留第一条", "duplicate record; only the first is kept"),
    "problem.no_geometry": ("缺少几何图形，应为：{allowed}", "no geometry; expected: {allowed}"),
    "problem.wrong_geometry_type": ("几何类型不符，应为：{allowed}", "wrong geometry type; expected: {allowed}"),
    "problem.bad_coordinates": ("坐标无法解析：{error}", "the coordinates cannot be read: {error}"),
    "problem.not_lon_lat": (
        "坐标不是经纬度（经度 -180~180，纬度 -90~90），可能是投影坐标或经纬度颠倒",
        "coordinates are not lon/lat degrees (lon -180..180, lat -90..90): projected, or lat/lon swapped?",
    ),
    "problem.invalid_geometry": ("几何图形无效：{reason}", "invalid geometry: {reason}"),
    "problem.unknown_route": ("线路编号不在 tourism_routes.geojson 中", "route id not found in tourism_routes.geojson"),
    "problem.resolved_exceeds_received": ("{quarter} 化解数大于受理数", "{quarter}: more resolved than received"),
    # Uploaded replacement files (lib.uploads)
    "problem.too_large": (
        "文件过大（{size_mb} MB），上限为 {limit_mb} MB",
        "the file is too large ({size_mb} MB); the limit is {limit_mb} MB",
    ),
    "problem.wrong_file_type_table": (
        "文件类型不符（这是 {found} 文件），应为 CSV 或 Excel（.xlsx）表格",
        "wrong file type (this is a {found} file): expected a CSV or Excel (.xlsx) table",
    ),
    "problem.wrong_file_type_layer": (
        "文件类型不符（这是 {found} 文件），应为 GeoJSON 或压缩的 Shapefile（.zip）",
        "wrong file type (this is a {found} file): expected GeoJSON or a zipped shapefile (.zip)",
    ),
    "problem.not_excel": (
        "无法读取此 Excel 文件，请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后再上传",
        "the Excel file cannot be read: save it from Excel as .xlsx or “CSV UTF-8” and upload that",
    ),
    "problem.too_deep": (
        "JSON 嵌套超过 {limit} 层，不是有效的 GeoJSON",
        "the JSON is nested more than {limit} levels deep: not valid GeoJSON",
    ),
    "problem.bad_archive": ("不是可用的 zip 压缩包：{error}", "not a usable zip archive: {error}"),
    "problem.unsafe_archive": (
        "压缩包中的文件名 {name} 不安全（含 .. 或绝对路径），已拒绝",
        "the archive holds an unsafe file name {name} (.. or an absolute path); refused",
    ),
    "problem.archive_too_big": (
        "压缩包过大：最多 {members} 个文件，解压后最多 {limit_mb} MB",
        "the archive is too big: at most {members} files and {limit_mb} MB unpacked",
    ),
    "problem.no_shapefile": (
        "压缩包中应有且仅有一个 .shp 文件（找到 {n} 个）",
        "the archive must hold exactly one .shp file (found {n})",
    ),
    "problem.shapefile_incomplete": ("Shapefile 缺少配套文件：{missing}", "the shapefile lacks its {missing} file"),
    "problem.not_shapefile": ("无法读取 Shapefile：{error}", "the shapefile cannot be read: {error}"),
    "problem.extra_column": (
        "此列不在数据约定中，保存时将略去",
        "this column is not part of the data contract and is left out when saving",
    ),
    # Summary lines of scripts/check_data.py
    "problem.file_ok": ("{file}：正常", "{file}: OK"),
    "problem.file_problems": ("{file}：{n} 个问题", "{file}: {n} problems"),
    # Changes between a file and its replacement (lib.changes)
    "changes.rows": (
        "新增 {added} 行，删除 {removed} 行，修改 {changed} 行",
        "{added} added, {removed} removed, {changed} changed",
    ),
    "changes.features": (
        "新增 {added} 个要素，删除 {removed} 个要素，修改 {changed} 个要素",
        "{added} added, {removed} removed, {changed} changed",
    ),
    "changes.none": ("没有变化", "no changes"),
    # The report as one HTML file (lib.report_html)
    "export.quarter": ("季度：{quarter}", "Quarter: {quarter}"),
    "export.township": ("范围：{township}", "Covering: {township}"),
    "export.generated": ("生成日期：{date}", "Generated {date}"),
    "export.offline": (
        "本文件可直接打开，无需网络或服务器；图表与地图可缩放、悬停查看。",
        "This file opens without a network or server; charts and maps can be zoomed and hovered.",
    ),
    "export.vs_previous": ("较上季度 {delta}", "{delta} vs previous quarter"),
    "export.map": ("{title}：地图", "Map: {title}"),
    # Making the report's files (lib.exports, scripts/export_report.py)
    "export.step_slides": ("正在整理汇报内容……", "Gathering the slides…"),
    "export.step_charts": ("正在生成图表图片……", "Drawing the chart pictures…"),
    "export.step_map": ("正在绘制地图……", "Drawing the maps…"),
    "export.step_pptx": ("正在生成 PowerPoint 演示文稿……", "Making the PowerPoint deck…"),
    "export.step_html": ("正在生成 HTML 报告……", "Making the HTML report…"),
    "export.done": ("导出完成", "Done"),
    "export.wrote": ("已写入 {path}", "Wrote {path}"),
    "export.unknown_quarter": (
        "数据中没有季度 {quarter}；可选：{quarters}",
        "The data has no quarter {quarter}; choose from {quarters}",
    ),
}


def tr(key: str, lang: Lang, **values: object) -> str:
    """The string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text
