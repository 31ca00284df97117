import Foundation

/// Shows a run's progress on a terminal: records read and records per second in pass 1, then a
/// bar in pass 2, whose total pass 1 has counted. Nothing appears for a run shorter than a
/// second, and nothing at all unless the caller asks for it (the command line does so only when
/// standard error is a terminal), so scheduled jobs and pipes see no progress lines.
///
/// The passes call ``advance()`` once per record; it costs an increment and a mask test, and the
/// clock is read once every 4,096 records.
public final class ProgressMeter {
    private let write: (String) -> Void
    private var pass = 1
    private var total: Int?
    private var count = 0
    private var started = Date()
    private let runStarted = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// `write` receives each redraw, starting with a carriage return.
    public init(write: @escaping (String) -> Void) {
        self.write = write
    }

    /// A meter that draws on standard error, or nil when standard error is not a terminal.
    public static func forTerminal() -> ProgressMeter? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        return ProgressMeter { FileHandle.standardError.write(Data($0.utf8)) }
    }

    func startPass(_ number: Int, total: Int?) {
        pass = number
        self.total = total
        count = 0
        started = Date()
    }

    @inline(__always)
    func advance() {
        count += 1
        if count & 4095 == 0 { draw(force: false) }
    }

    /// Ends the line, if anything was drawn.
    func finish() {
        if drawn { draw(force: true); write("\n") }
    }

    private func draw(force: Bool) {
        let now = Date()
        guard force || (now.timeIntervalSince(runStarted) >= 1 && now.timeIntervalSince(lastDraw) >= 0.2) else { return }
        lastDraw = now
        drawn = true
        let rate = Double(count) / max(now.timeIntervalSince(started), 1e-3)
        var line = "\r\u{1B}[2Kpass \(pass)/2 "
        if let total, total > 0 {
            let share = min(1, Double(count) / Double(total))
            let width = 30
            let filled = Int(share * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += String(format: "%3.0f%% ", share * 100)
        }
        line += "\(count) records, \(Int(rate)) records/s"
        write(line)
    }
}
