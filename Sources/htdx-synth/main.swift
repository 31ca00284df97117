// htdx-synth: writes a SYNTHETIC case-record CSV for examples, tests and benchmarks.
//
// Every value it emits is invented: names are random pairings from small built-in
// lists, dates and countries are drawn from hand-tuned weights, notes are assembled
// from stock phrases. No record describes a real person or a real case.
//
// The shipped example was made with:
//   swift run htdx-synth --records 2500 --seed 2026 --out Examples/cases.csv
//
// Output is a pure function of (--records, --seed): the generator owns its PRNG and
// its date arithmetic so that no platform library can change a single byte.

import Foundation

let usage = "usage: htdx-synth [--records N] [--seed S] [--out FILE]\n"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n" + usage).utf8))
    exit(2)
}

var records = 2500
var seed: UInt64 = 2026
var outPath: String?

// Hand-parsed on purpose: the target has no dependencies, and three flags do not need a library.
var args = CommandLine.arguments.dropFirst()
while let flag = args.popFirst() {
    switch flag {
    case "-h", "--help":
        FileHandle.standardOutput.write(Data(usage.utf8))
        exit(0)
    case "--records", "--seed", "--out":
        guard let value = args.popFirst() else { fail("htdx-synth: \(flag) needs a value") }
        switch flag {
        case "--records":
            guard let n = Int(value), n >= 0, n <= 999_999 else {
                fail("htdx-synth: --records must be an integer in 0...999999 (caseId has six digits)")
            }
            records = n
        case "--seed":
            guard let s = UInt64(value) else { fail("htdx-synth: --seed must be a non-negative integer") }
            seed = s
        default:
            outPath = value
        }
    default:
        fail("htdx-synth: unknown argument '\(flag)'")
    }
}

let csv = Synth.csv(records: records, seed: seed)
let bytes = Data(csv.utf8)
if let outPath {
    do {
        try bytes.write(to: URL(fileURLWithPath: outPath), options: .atomic)
    } catch {
        FileHandle.standardError.write(Data("htdx-synth: cannot write \(outPath): \(error)\n".utf8))
        exit(1)
    }
} else {
    FileHandle.standardOutput.write(bytes)
}
