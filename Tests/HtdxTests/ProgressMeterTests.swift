import Foundation
@testable import Pipeline
import Testing

/// The progress line: silent for short runs, a count and rate in pass 1, a bar in pass 2.
@Suite struct ProgressMeterTests {
    final class Lines: @unchecked Sendable { var text = "" }

    @Test func aRunShorterThanASecondDrawsNothing() {
        let lines = Lines()
        let meter = ProgressMeter { lines.text += $0 }
        meter.startPass(1, total: nil)
        for _ in 0..<100_000 { meter.advance() }
        meter.finish()
        #expect(lines.text.isEmpty)
    }

    @Test func afterASecondPassTwoShowsABarAndTheRate() {
        let lines = Lines()
        let meter = ProgressMeter { lines.text += $0 }
        meter.startPass(1, total: nil)
        Thread.sleep(forTimeInterval: 1.05)
        for _ in 0..<4096 { meter.advance() }
        #expect(lines.text.contains("pass 1/2") && lines.text.contains("4096 records") && lines.text.contains("records/s"))
        #expect(!lines.text.contains("#"))
        meter.startPass(2, total: 8192)
        Thread.sleep(forTimeInterval: 0.25)
        for _ in 0..<4096 { meter.advance() }
        #expect(lines.text.contains("pass 2/2 [###############...............]  50%"))
        meter.finish()
        #expect(lines.text.hasSuffix("\n"))
    }
}
