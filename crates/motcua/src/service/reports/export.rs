//! The report in the layout officials hand in: one row per agency (and per procedure), received by channel,
//! completed early / on time / late, in progress within deadline / overdue, withdrawn, refused, the on-time share
//! and payments online, with the total; as Excel (.xlsx) and as CSV (UTF-8 with BOM, so Excel reads the diacritics).

use super::{breakdown, figures, vn_date, Line, Period, Place};
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::reports::By;
use motcua_domain::report::Summary;

/// The column headers, in Vietnamese.
pub const HEADERS: [&str; 17] = [
    "STT",
    "Đơn vị / thủ tục",
    "Tổng số hồ sơ tiếp nhận",
    "Trực tuyến",
    "Trực tiếp",
    "Bưu chính",
    "Đã giải quyết",
    "Trước hạn",
    "Đúng hạn",
    "Trễ hạn",
    "Đang giải quyết",
    "Trong hạn",
    "Quá hạn",
    "Rút hồ sơ",
    "Từ chối tiếp nhận",
    "Tỷ lệ đúng hạn (%)",
    "Thanh toán trực tuyến",
];

/// What the export holds.
pub struct Data {
    pub title: String,
    pub period: String,
    pub total: Summary,
    pub agencies: Vec<Line>,
    pub procedures: Vec<Line>,
}

/// Reads the figures of the export.
pub async fn gather(st: &AppState, place: &Place, p: Period) -> AppResult<Data> {
    let mut agencies = breakdown(st, &place.filter, p, By::Agency).await?;
    agencies.sort_by(|a, b| a.label.cmp(&b.label));
    let mut procedures = breakdown(st, &place.filter, p, By::Procedure).await?;
    procedures.sort_by(|a, b| {
        b.figures
            .received
            .cmp(&a.figures.received)
            .then(a.key.cmp(&b.key))
    });
    Ok(Data {
        title: format!(
            "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH — {}",
            place.name
        ),
        period: format!("Từ ngày {} đến ngày {}", vn_date(p.from), vn_date(p.to)),
        total: figures(st, &place.filter, p).await?,
        agencies,
        procedures,
    })
}

fn numbers(f: &Summary) -> [i64; 14] {
    [
        f.received,
        f.online,
        f.in_person,
        f.postal,
        f.completed,
        f.completed_early,
        f.completed_on_time,
        f.completed_late,
        f.in_progress,
        f.in_progress_on_time,
        f.in_progress_overdue,
        f.withdrawn,
        f.refused,
        f.paid_online,
    ]
}

/// The rows of a table: number, name, the figures, the share; then the total.
fn table(
    lines: &[Line],
    total: &Summary,
    with_code: bool,
) -> Vec<(String, String, [i64; 14], Option<f64>)> {
    let mut out: Vec<_> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let name = if with_code {
                format!("{} — {}", l.key, l.label)
            } else {
                l.label.clone()
            };
            (
                (i + 1).to_string(),
                name,
                numbers(&l.figures),
                l.figures.on_time_pct(),
            )
        })
        .collect();
    out.push((
        String::new(),
        "Tổng cộng".to_owned(),
        numbers(total),
        total.on_time_pct(),
    ));
    out
}

/// The CSV: the two tables of the workbook one after the other, "Theo đơn vị" then "Theo thủ tục", each with its
/// heading, its column headers and its total, a blank row between them.
pub fn csv(d: &Data) -> AppResult<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let fail = |e: csv::Error| crate::error::AppError::Internal(e.into());
    w.write_record([d.title.as_str()]).map_err(fail)?;
    w.write_record([d.period.as_str()]).map_err(fail)?;
    for (i, (section, lines, code)) in [
        ("Theo đơn vị", &d.agencies, false),
        ("Theo thủ tục", &d.procedures, true),
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            w.write_record([""]).map_err(fail)?;
        }
        w.write_record([section]).map_err(fail)?;
        w.write_record(HEADERS).map_err(fail)?;
        for (n, name, f, p) in table(lines, &d.total, code) {
            let mut rec = vec![n, name];
            rec.extend(f[..13].iter().map(i64::to_string));
            rec.push(
                p.map(|v| format!("{v:.1}").replace('.', ","))
                    .unwrap_or_default(),
            );
            rec.push(f[13].to_string());
            w.write_record(&rec).map_err(fail)?;
        }
    }
    w.into_inner()
        .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("{e}")))
}

/// The workbook: "Theo đơn vị" and "Theo thủ tục".
pub fn xlsx(d: &Data) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let x = |e: rust_xlsxwriter::XlsxError| {
        crate::error::AppError::Internal(anyhow::anyhow!("xlsx: {e}"))
    };
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(13);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDE7F3");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let int = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0");
    let share = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0");
    let bold = Format::new().set_bold().set_border(FormatBorder::Thin);
    for (sheet, lines, code) in [
        ("Theo đơn vị", &d.agencies, false),
        ("Theo thủ tục", &d.procedures, true),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).map_err(x)?;
        ws.write_string_with_format(0, 0, &d.title, &title)
            .map_err(x)?;
        ws.write_string(1, 0, &d.period).map_err(x)?;
        for (c, h) in HEADERS.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            ws.write_string_with_format(3, c, *h, &head).map_err(x)?;
        }
        ws.set_row_height(3, 45).map_err(x)?;
        ws.set_column_width(1, if code { 60 } else { 45 })
            .map_err(x)?;
        for c in 2..17u16 {
            ws.set_column_width(c, 12).map_err(x)?;
        }
        let rows = table(lines, &d.total, code);
        let last = rows.len().saturating_sub(1);
        for (i, (n, name, f, p)) in rows.into_iter().enumerate() {
            let r = u32::try_from(i + 4).unwrap_or(u32::MAX);
            let nf = if i == last { &bold } else { &cell };
            ws.write_string_with_format(r, 0, &n, nf).map_err(x)?;
            ws.write_string_with_format(r, 1, &name, nf).map_err(x)?;
            for (k, v) in f[..13].iter().enumerate() {
                let c = u16::try_from(k + 2).unwrap_or(0);
                ws.write_number_with_format(r, c, *v as f64, &int)
                    .map_err(x)?;
            }
            match p {
                Some(v) => ws.write_number_with_format(r, 15, v, &share).map_err(x)?,
                None => ws.write_string_with_format(r, 15, "", &cell).map_err(x)?,
            };
            ws.write_number_with_format(r, 16, f[13] as f64, &int)
                .map_err(x)?;
        }
        ws.set_freeze_panes(4, 2).map_err(x)?;
    }
    wb.save_to_buffer().map_err(x)
}
