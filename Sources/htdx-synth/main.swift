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
//
// `--partner NAME` writes one of the partner-format samples in Examples/partners/
// instead (see PartnerCore.swift and Examples/partners/README.md), e.g.
//   swift run htdx-synth --partner casemgmt --records 1200 --seed 2026 --out Examples/partners/casemgmt.csv
// Those are equally invented and equally a pure function of (--partner, --records, --seed).
// Without --partner the output is the cases format above, unchanged.

import Foundation

let usage = "usage: htdx-synth [--records N] [--seed S] [--out FILE]\n"
    + "       htdx-synth --partner NAME [--records N] [--seed S] [--out FILE|DIR]\n"
    + "       NAME: " + Partner.allCases.map(\.rawValue).joined(separator: ", ") + "\n"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n" + usage).utf8))
    exit(2)
}

var records = 2500
var seed: UInt64 = 2026
var outPath: String?
var partner: Partner?
var recordsGiven = false

// Hand-parsed on purpose: the target has no dependencies, and four flags do not need a library.
var args = CommandLine.arguments.dropFirst()
while let flag = args.popFirst() {
    switch flag {
    case "-h", "--help":
        FileHandle.standardOutput.write(Data(usage.utf8))
        exit(0)
    case "--records", "--seed", "--out", "--partner":
        guard let value = args.popFirst() else { fail("htdx-synth: \(flag) needs a value") }
        switch flag {
        case "--records":
            guard let n = Int(value), n >= 0, n <= 999_999 else {
                fail("htdx-synth: --records must be an integer in 0...999999 (caseId has six digits)")
            }
            records = n
            recordsGiven = true
        case "--seed":
            guard let s = UInt64(value) else { fail("htdx-synth: --seed must be a non-negative integer") }
            seed = s
        case "--partner":
            guard let p = Partner(rawValue: value) else { fail("htdx-synth: unknown partner '\(value)'") }
            partner = p
        default:
            outPath = value
        }
    default:
        fail("htdx-synth: unknown argument '\(flag)'")
    }
}

if let partner {
    let count = recordsGiven ? records : partner.defaultRecords
    guard count <= partner.maxRecords else {
        fail("htdx-synth: --partner \(partner.rawValue) takes at most \(partner.maxRecords) records")
    }
    if partner.writesDirectory && outPath == nil {
        fail("htdx-synth: --partner \(partner.rawValue) writes a directory of files; name it with --out DIR")
    }
    switch partner.render(records: count, seed: seed) {
    case .file(let bytes):
        if let outPath {
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: outPath), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("htdx-synth: cannot write \(outPath): \(error)\n".utf8))
                exit(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    case .directory(let files):
        let dir = outPath!
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for file in files {
                try Data(file.bytes).write(to: URL(fileURLWithPath: dir).appendingPathComponent(file.name), options: .atomic)
            }
        } catch {
            FileHandle.standardError.write(Data("htdx-synth: cannot write into \(dir): \(error)\n".utf8))
            exit(1)
        }
    }
    exit(0)
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
