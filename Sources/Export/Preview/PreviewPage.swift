import Anonymize
import Foundation

/// `preview.html`: what a policy does to the data, as one self-contained page a data officer can
/// read, mail or archive. Inline SVG and CSS only: no script, nothing fetched.
///
/// It shows counts, shares, class sizes, published labels and the policy, never a record's values:
/// a raw value is listed only when at least k records hold it, and rejected, excluded and
/// suppressed records appear as counts by reason.
public struct PreviewPage {
    /// One quasi-identifier as the page draws it.
    public struct Attribute: Sendable, Equatable {
        public var name: String
        /// The hierarchy file, or nil when the values were learnt from the data.
        public var source: String?
        /// The labels of each level, level 0 (the raw values) first.
        public var levels: [[String]]
        public var chosen: Int
        /// Raw values held by at least k records before anonymisation, with their counts.
        public var commonBefore: [String: Int]
        /// How many raw values fewer than k records held, and those records: counted, never named.
        public var rareValuesBefore: Int
        public var rareRecordsBefore: Int

        public init(name: String, source: String?, levels: [[String]], chosen: Int,
                    commonBefore: [String: Int], rareValuesBefore: Int, rareRecordsBefore: Int) {
            self.name = name
            self.source = source
            self.levels = levels
            self.chosen = chosen
            self.commonBefore = commonBefore
            self.rareValuesBefore = rareValuesBefore
            self.rareRecordsBefore = rareRecordsBefore
        }
    }

    public var report: Report
    public var attributes: [Attribute]
    /// The job or policy the preview ran, as the user named it.
    public var source: String
    public var policyFile: String
    public var policyText: String

    public init(report: Report, attributes: [Attribute], source: String, policyFile: String, policyText: String) {
        self.report = report
        self.attributes = attributes
        self.source = source
        self.policyFile = policyFile
        self.policyText = policyText
    }

    public func html() -> String {
        let r = report
        var body = "<header><h1>htdx preview</h1><p class=\"lede\">\(HTMLText.escape(source)) · htdx \(HtdxVersion.current) · "
            + "policy SHA-256 <code>\(HTMLText.escape(String(r.policySHA256.prefix(16))))…</code></p>"
            + "<p class=\"notice\">Nothing was published. A run with these files would publish "
            + "<strong>\(Figures.count(r.records.published))</strong> of \(Figures.count(r.records.in)) records, "
            + "k = \(r.k), in \(Figures.count(r.equivalenceClasses.count)) classes of at least "
            + "\(Figures.count(r.equivalenceClasses.smallest)).</p></header>"
        body += PreviewSections.records(r)
        body += PreviewSections.risk(r)
        body += PreviewSections.classSizes(r)
        body += PreviewSections.transformation(r, attributes: attributes)
        body += PreviewSections.valuesLost(r)
        body += PreviewSections.setAside(r)
        body += PreviewSections.aggregates(r)
        body += PreviewSections.policy(r, file: policyFile, text: policyText)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>htdx preview: \(HTMLText.escape(source))</title>
            <style>\(Self.style)</style></head>
            <body>\(body)</body></html>

            """
    }

    static let style = """
        :root{--ink:#1d2330;--muted:#5b6475;--line:#d5d9e0;--before:#c2553f;--after:#2f6db5;--warn:#b7791f;--fill:#f4f6f9}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);max-width:980px;margin:2rem auto;padding:0 1.2rem}
        h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
        h3{font-size:1rem;margin:1.2rem 0 .3rem}
        .lede,.muted-note{color:var(--muted)}.notice{background:var(--fill);border-left:4px solid var(--after);padding:.6rem .9rem}
        table{border-collapse:collapse;margin:.4rem 0 1rem;min-width:50%}caption{text-align:left;color:var(--muted);padding:.2rem 0}
        th,td{padding:.28rem .7rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{background:var(--fill);font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        svg.chart{display:block;max-width:100%;height:auto;margin:.3rem 0 .8rem;font-size:12px;fill:var(--ink)}
        svg .before{fill:var(--before)}svg .after{fill:var(--after)}svg .warn{fill:var(--warn)}svg .muted{fill:#9aa3b2}
        svg .axis{stroke:#9aa3b2;stroke-width:1}svg .level{fill:var(--fill);stroke:var(--line)}svg .chosen{fill:var(--after)}
        svg .on-chosen{fill:#fff;font-weight:600}svg .muted-text{fill:var(--muted)}
        .legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .9rem;vertical-align:-1px}
        pre{background:var(--fill);padding:.8rem;overflow-x:auto;font-size:12.5px;line-height:1.35;white-space:pre-wrap}
        .pair{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}.pair table{min-width:19rem}
        svg,table,.pair,.notice{break-inside:avoid}h2,h3,caption{break-after:avoid}
        @media print{body{margin:0;max-width:none;font-size:10.5pt}}
        """
}
