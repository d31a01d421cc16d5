//! What every PDF export shares: the embedded Unicode font (DejaVu Sans,
//! under its own free licence in `fonts/`), measuring and wrapping text in
//! it, and a writer that flows text down A4 pages, starts a new page when
//! one is full and marks every page of a draft. Charts are drawn with the
//! writer's vector shapes, in millimetres from the top left of the space
//! [`Pages::room`] keeps for them.

use printpdf::{
    Color, Greyscale, IndirectFontRef, Line, Mm, PdfDocument, PdfDocumentReference,
    PdfLayerReference, Point, Polygon, Pt, Rect, Rgb, TextMatrix,
    path::{PaintMode, WindingOrder},
};

static FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// A4, in millimetres.
pub const W: f32 = 210.0;
pub const H: f32 = 297.0;
pub const MARGIN: f32 = 20.0;

/// Points to millimetres.
const PT_MM: f32 = 0.352_778;

/// Measures text in the embedded font.
pub struct Metrics {
    face: ttf_parser::Face<'static>,
    units: f32,
}

impl Metrics {
    pub fn new() -> Result<Self, String> {
        let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| e.to_string())?;
        let units = f32::from(face.units_per_em());
        Ok(Metrics { face, units })
    }

    /// Width in millimetres at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map(f32::from)
                    .unwrap_or(self.units * 0.6)
            })
            .sum();
        units / self.units * size * PT_MM
    }

    /// Splits text into lines no wider than `max` millimetres.
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= max || line.is_empty() {
                line = candidate;
                // A single word wider than the line is cut into pieces.
                while self.width(&line, size) > max && line.chars().count() > 1 {
                    let mut cut = String::new();
                    for c in line.chars() {
                        if self.width(&format!("{cut}{c}"), size) > max {
                            break;
                        }
                        cut.push(c);
                    }
                    if cut.is_empty() {
                        break;
                    }
                    let rest = line[cut.len()..].to_string();
                    lines.push(cut);
                    line = rest;
                }
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// A colour as red, green and blue from 0 to 1.
pub type Rgb3 = (f32, f32, f32);

fn colour((r, g, b): Rgb3) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

/// A PDF being written, page by page.
pub struct Pages {
    doc: PdfDocumentReference,
    font: IndirectFontRef,
    pub metrics: Metrics,
    layer: PdfLayerReference,
    /// How far down the page the next line goes, from the top, in mm.
    y: f32,
    /// Written across every page of a draft.
    mark: Option<String>,
}

impl Pages {
    /// A new document with its first page; `mark` (such as "Draft") is
    /// written across every page.
    pub fn new(title: &str, mark: Option<&str>) -> Result<Self, String> {
        let metrics = Metrics::new()?;
        let (doc, page, layer) = PdfDocument::new(title, Mm(W), Mm(H), "text");
        let font = doc
            .add_external_font(std::io::Cursor::new(FONT))
            .map_err(|e| e.to_string())?;
        let layer = doc.get_page(page).get_layer(layer);
        let mut p = Pages {
            doc,
            font,
            metrics,
            layer,
            y: MARGIN,
            mark: mark.map(str::to_string),
        };
        p.stamp();
        Ok(p)
    }

    fn stamp(&mut self) {
        let Some(mark) = self.mark.clone() else {
            return;
        };
        let layer = &self.layer;
        layer.begin_text_section();
        layer.set_font(&self.font, 54.0);
        layer.set_fill_color(colour((0.85, 0.6, 0.6)));
        layer.set_text_matrix(TextMatrix::TranslateRotate(
            Pt(Mm(40.0).into_pt().0),
            Pt(Mm(70.0).into_pt().0),
            45.0,
        ));
        layer.write_text(mark, &self.font);
        layer.end_text_section();
        // The mark also heads the page in small letters, for readers that
        // take the text out.
        layer.use_text(
            self.mark.clone().unwrap_or_default(),
            8.0,
            Mm(MARGIN),
            Mm(H - MARGIN / 2.0),
            &self.font,
        );
        layer.set_fill_color(Color::Greyscale(Greyscale::new(0.0, None)));
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        let (p, l) = self.doc.add_page(Mm(W), Mm(H), "text");
        self.layer = self.doc.get_page(p).get_layer(l);
        self.y = MARGIN;
        self.stamp();
    }

    /// Keeps `height` mm free below the last line (on a new page if this
    /// one has too little left) and gives the top of that space, from the
    /// top of the page. Draw in it, then it counts as used.
    pub fn room(&mut self, height: f32) -> f32 {
        if self.y + height > H - MARGIN && self.y > MARGIN {
            self.new_page();
        }
        let top = self.y;
        self.y += height;
        top
    }

    /// How much space is left on this page, in mm.
    pub fn left(&self) -> f32 {
        H - MARGIN - self.y
    }

    /// Text wrapped to the width, `indent` mm in, then half a line's space.
    pub fn para(&mut self, size: f32, indent: f32, text: &str) {
        self.lines(size, indent, W - 2.0 * MARGIN - indent, text);
        self.y += size * PT_MM * 0.5;
    }

    /// Text wrapped to `width` mm, `indent` mm in, with no space after.
    pub fn lines(&mut self, size: f32, indent: f32, width: f32, text: &str) {
        let height = size * PT_MM * 1.4;
        for l in self.metrics.wrap(text, size, width) {
            let top = self.room(height);
            self.text(MARGIN + indent, top + height * 0.8, size, &l);
        }
    }

    /// A heading that is not left alone at the foot of a page.
    pub fn heading(&mut self, size: f32, text: &str) {
        if self.left() < size * PT_MM * 6.0 {
            self.new_page();
        }
        self.y += size * PT_MM * 0.4;
        self.para(size, 0.0, text);
    }

    /// Text with its baseline at (x, y), from the top left, in mm.
    pub fn text(&self, x: f32, y: f32, size: f32, text: &str) {
        if !text.is_empty() {
            self.layer
                .use_text(text, size, Mm(x), Mm(H - y), &self.font);
        }
    }

    /// Text ending at x (for labels on the left of a chart).
    pub fn text_right(&self, x: f32, y: f32, size: f32, text: &str) {
        let w = self.metrics.width(text, size);
        self.text(x - w, y, size, text);
    }

    /// Text centred on x.
    pub fn text_centre(&self, x: f32, y: f32, size: f32, text: &str) {
        let w = self.metrics.width(text, size);
        self.text(x - w / 2.0, y, size, text);
    }

    /// A rectangle from its top left corner, filled and/or outlined.
    pub fn rect(&self, x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb3>, line: Option<Rgb3>) {
        let r = Rect::new(Mm(x), Mm(H - y - h), Mm(x + w), Mm(H - y));
        self.paint(fill, line, |mode| self.layer.add_rect(r.with_mode(mode)));
    }

    /// A closed shape through the points (x, y from the top left).
    pub fn polygon(&self, points: &[(f32, f32)], fill: Option<Rgb3>, line: Option<Rgb3>) {
        let ring: Vec<(Point, bool)> = points
            .iter()
            .map(|(x, y)| (Point::new(Mm(*x), Mm(H - y)), false))
            .collect();
        self.paint(fill, line, |mode| {
            self.layer.add_polygon(Polygon {
                rings: vec![ring.clone()],
                mode,
                winding_order: WindingOrder::NonZero,
            })
        });
    }

    /// A line through the points; `dashed` for a second series.
    pub fn line(&self, points: &[(f32, f32)], colour_of: Rgb3, width: f32, dashed: bool) {
        self.layer.set_outline_color(colour(colour_of));
        self.layer.set_outline_thickness(width);
        if dashed {
            self.layer.set_line_dash_pattern(printpdf::LineDashPattern {
                dash_1: Some(4),
                gap_1: Some(3),
                ..Default::default()
            });
        }
        self.layer.add_line(Line {
            points: points
                .iter()
                .map(|(x, y)| (Point::new(Mm(*x), Mm(H - y)), false))
                .collect(),
            is_closed: false,
        });
        if dashed {
            self.layer
                .set_line_dash_pattern(printpdf::LineDashPattern::default());
        }
    }

    fn paint(&self, fill: Option<Rgb3>, line: Option<Rgb3>, draw: impl Fn(PaintMode)) {
        let mode = match (fill, line) {
            (Some(_), Some(_)) => PaintMode::FillStroke,
            (Some(_), None) => PaintMode::Fill,
            (None, Some(_)) => PaintMode::Stroke,
            (None, None) => return,
        };
        if let Some(f) = fill {
            self.layer.set_fill_color(colour(f));
        }
        if let Some(l) = line {
            self.layer.set_outline_color(colour(l));
            self.layer.set_outline_thickness(0.6);
        }
        draw(mode);
        self.layer
            .set_fill_color(Color::Greyscale(Greyscale::new(0.0, None)));
    }

    /// A table: a header row in bold-looking grey, then the rows, each
    /// cell wrapped to its column; a row never splits across pages.
    pub fn table(&mut self, widths: &[f32], header: &[String], rows: &[Vec<String>]) {
        const SIZE: f32 = 8.5;
        let line_h = SIZE * PT_MM * 1.35;
        let draw_row = |p: &mut Pages, cells: &[String], shaded: bool| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| p.metrics.wrap(c, SIZE, w - 2.0))
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = n as f32 * line_h + 1.5;
            let top = p.room(h);
            if shaded {
                p.rect(
                    MARGIN,
                    top,
                    widths.iter().sum(),
                    h,
                    Some((0.9, 0.91, 0.92)),
                    None,
                );
            }
            let mut x = MARGIN;
            for (lines, w) in wrapped.iter().zip(widths) {
                for (i, l) in lines.iter().enumerate() {
                    p.text(x + 1.0, top + line_h * (i as f32 + 1.0) - 0.3, SIZE, l);
                }
                x += w;
            }
            p.line(
                &[
                    (MARGIN, top + h),
                    (MARGIN + widths.iter().sum::<f32>(), top + h),
                ],
                (0.7, 0.71, 0.72),
                0.3,
                false,
            );
        };
        if self.left() < line_h * 4.0 {
            self.new_page();
        }
        draw_row(self, header, true);
        for r in rows {
            if self.left() < line_h * 2.0 {
                self.new_page();
                draw_row(self, header, true);
            }
            draw_row(self, r, false);
        }
        self.y += 3.0;
    }

    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.doc.save_to_bytes().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_wrap() {
        let m = Metrics::new().unwrap();
        let lines = m.wrap(&"x".repeat(400), 10.0, 50.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| m.width(l, 10.0) <= 50.0));
    }
}
