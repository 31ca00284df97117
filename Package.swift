// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "htdx",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "htdx", targets: ["htdx"]),
        .executable(name: "htdx-synth", targets: ["htdx-synth"]),
        // For the benchmark packages in Benchmarks/ and the fuzzers in Fuzz/: the readers, and the
        // HTCDS tables their code books use.
        .library(name: "HtdxIngest", targets: ["Tabular", "Ingest", "Recode"]),
        // For the fuzzing package in Fuzz/, which loads policies and profiles.
        .library(name: "HtdxPolicyFile", targets: ["Recode", "PolicyFile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // libxml2 from Debian's libxml2-dev; only Ingest imports it.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // The leaf: CSV reading and writing, cell escaping, safe names in messages, and hash tables
        // keyed by bytes, shared by the readers, the privacy engine and the writers.
        .target(name: "Tabular", swiftSettings: strict),
        // Partner files into canonical records: the XML reader, partner profiles, the profiled readers.
        .target(name: "Ingest", dependencies: ["CLibXML2", "Tabular"], swiftSettings: strict),
        // Canonical records made ready for the release: the HTCDS vocabulary, the CTDC derived
        // columns and the policy's record rules (filters, blanking, coding, folding).
        .target(name: "Recode", dependencies: ["Tabular", "Ingest"], swiftSettings: strict),
        // The privacy engine: hierarchies, histograms, lattice search. Knows no file formats and no
        // vocabulary.
        .target(name: "Anonymize", dependencies: ["Tabular"], swiftSettings: strict),
        // Reads a policy YAML and the hierarchy files it names into a Policy.
        .target(name: "PolicyFile", dependencies: ["Tabular", "Ingest", "Recode", "Anonymize", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Drafts a partner profile from an export nobody has described yet: sniffs its shape,
        // summarises its columns, proposes canonical fields and codes, writes the YAML.
        .target(name: "ProfileDraft", dependencies: ["Tabular", "Ingest", "Recode"], swiftSettings: strict),
        // The table-protection engine for the open-access aggregates: counting, cell suppression,
        // the exact audit. Writes no files.
        .target(name: "TableProtection", dependencies: ["Tabular", "Anonymize"], swiftSettings: strict),
        // Writers for the published drop: the report, the release files, verification.
        .target(name: "Export", dependencies: ["Tabular", "Anonymize", "TableProtection", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        // Wires one run: two passes over the input, the search, the atomic publish.
        .target(name: "Pipeline", dependencies: ["Tabular", "Ingest", "Recode", "Anonymize", "PolicyFile", "TableProtection", "Export", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strict),
        .executableTarget(
            name: "htdx",
            dependencies: ["Tabular", "Ingest", "Pipeline", "Export", "ProfileDraft", "Recode", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        // Generates the synthetic example data set shipped under Examples/.
        .executableTarget(name: "htdx-synth", swiftSettings: strict),
        // The tests' shared fixtures: scratch directories, the repository's paths, the built htdx,
        // the `.slow` tag. Imports none of the project's modules.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "HtdxTests",
            dependencies: ["Tabular", "Ingest", "Recode", "Anonymize", "PolicyFile", "TableProtection", "Export", "Pipeline", "ProfileDraft", "TestSupport",
                           // The pseudonym tests recompute HMACs with swift-crypto itself, not through htdx.
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
    ]
)
