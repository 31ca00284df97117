import Foundation

/// The few charts a preview draws, as inline SVG: no script, no font or file fetched, so the page
/// reads the same mailed, archived or printed. Sizes are in CSS pixels; text uses the page's font.
enum SVGChart {
    struct Bar {
        var label: String
        var value: Double
        /// What is printed at the bar's end.
        var text: String
        /// A CSS class: `before`, `after`, `warn` or `muted`.
        var style: String
    }

    /// Horizontal bars, one per row, scaled to `maximum` (the largest value when nil).
    static func horizontal(_ bars: [Bar], maximum: Double? = nil, title: String) -> String {
        let labelWidth = 190.0, barWidth = 330.0, row = 24.0
        let height = row * Double(bars.count) + 8
        let top = max(maximum ?? bars.map(\.value).max() ?? 0, .leastNonzeroMagnitude)
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 640 \(Int(height))\" width=\"640\" height=\"\(Int(height))\">"
        svg += "<title>\(HTMLText.escape(title))</title>"
        for (i, bar) in bars.enumerated() {
            let y = 4 + row * Double(i)
            let width = bar.value <= 0 ? 0 : max(1.5, barWidth * min(bar.value / top, 1))
            svg += "<text x=\"\(Int(labelWidth - 8))\" y=\"\(fmt(y + 16))\" text-anchor=\"end\">\(HTMLText.escape(bar.label))</text>"
            svg += "<rect class=\"\(bar.style)\" x=\"\(Int(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(width))\" height=\"\(fmt(row - 8))\"/>"
            svg += "<text x=\"\(fmt(labelWidth + width + 6))\" y=\"\(fmt(y + 16))\">\(HTMLText.escape(bar.text))</text>"
        }
        return svg + "</svg>"
    }

    struct Column {
        var label: String
        var value: Int
        var style: String
    }

    /// Vertical columns over labelled bins, with each column's count above it.
    static func columns(_ columns: [Column], title: String, axis: String) -> String {
        let width = 640.0, plot = 150.0, top = 22.0
        let slot = (width - 20) / Double(max(columns.count, 1))
        let maximum = Double(max(columns.map(\.value).max() ?? 0, 1))
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 640 \(Int(top + plot + 46))\" width=\"640\" height=\"\(Int(top + plot + 46))\">"
        svg += "<title>\(HTMLText.escape(title))</title>"
        svg += "<line class=\"axis\" x1=\"10\" x2=\"\(fmt(width - 10))\" y1=\"\(fmt(top + plot))\" y2=\"\(fmt(top + plot))\"/>"
        for (i, column) in columns.enumerated() {
            let x = 10 + slot * Double(i)
            let h = column.value == 0 ? 0 : max(1.5, plot * Double(column.value) / maximum)
            svg += "<rect class=\"\(column.style)\" x=\"\(fmt(x + slot * 0.15))\" y=\"\(fmt(top + plot - h))\" width=\"\(fmt(slot * 0.7))\" height=\"\(fmt(h))\"/>"
            svg += "<text x=\"\(fmt(x + slot / 2))\" y=\"\(fmt(top + plot - h - 5))\" text-anchor=\"middle\">\(Figures.count(column.value))</text>"
            svg += "<text x=\"\(fmt(x + slot / 2))\" y=\"\(fmt(top + plot + 16))\" text-anchor=\"middle\">\(HTMLText.escape(column.label))</text>"
        }
        svg += "<text class=\"muted-text\" x=\"\(fmt(width / 2))\" y=\"\(fmt(top + plot + 38))\" text-anchor=\"middle\">\(HTMLText.escape(axis))</text>"
        return svg + "</svg>"
    }

    /// One attribute's hierarchy as a row of boxes, level 0 (the raw values) on the left and the
    /// top on the right; the chosen level is filled. `notes[l]` is the box's second line.
    static func hierarchy(levels: [String], notes: [String], chosen: Int, title: String) -> String {
        let box = 140.0, gap = 22.0, height = 52.0
        let width = max(640, Int(Double(levels.count) * (box + gap)))
        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(Int(height + 8))\" width=\"\(width)\" height=\"\(Int(height + 8))\">"
        svg += "<title>\(HTMLText.escape(title))</title>"
        for (l, name) in levels.enumerated() {
            let x = 4 + Double(l) * (box + gap)
            if l > 0 {
                svg += "<line class=\"axis\" x1=\"\(fmt(x - gap))\" x2=\"\(fmt(x))\" y1=\"\(fmt(4 + height / 2))\" y2=\"\(fmt(4 + height / 2))\"/>"
            }
            svg += "<rect class=\"\(l == chosen ? "chosen" : "level")\" x=\"\(fmt(x))\" y=\"4\" rx=\"5\" width=\"\(fmt(box))\" height=\"\(fmt(height))\"/>"
            svg += "<text class=\"\(l == chosen ? "on-chosen" : "")\" x=\"\(fmt(x + box / 2))\" y=\"24\" text-anchor=\"middle\">\(HTMLText.escape(name))</text>"
            svg += "<text class=\"\(l == chosen ? "on-chosen" : "muted-text")\" x=\"\(fmt(x + box / 2))\" y=\"44\" text-anchor=\"middle\">\(HTMLText.escape(notes[l]))</text>"
        }
        return svg + "</svg>"
    }

    private static func fmt(_ x: Double) -> String {
        String(format: "%.1f", x)
    }
}
