// swift-tools-version:6.1
// libFuzzer targets for the parsers that read untrusted bytes: the CSV reader, the XML record
// reader, the policy and profile YAML loaders, and the rule-condition parser. Its own package, so
// that the main build and `swift test` never see the sanitizer flags. Build and run them with
// Benchmarks/fuzz.sh, which passes `-sanitize=fuzzer,address`.
import PackageDescription

// Each target exports LLVMFuzzerTestOneInput and an entry point that hands it to libFuzzer's
// driver (see FuzzDriver.h); -parse-as-library because no file holds top-level code.
let fuzzTarget: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "HtdxFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "htdx", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .target(
            name: "FuzzSupport", dependencies: [.product(name: "HtdxPolicyFile", package: "htdx")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "fuzz-csv",
            dependencies: ["FuzzDriver", "FuzzSupport", .product(name: "HtdxIngest", package: "htdx")],
            swiftSettings: fuzzTarget),
        .executableTarget(
            name: "fuzz-xml",
            dependencies: ["FuzzDriver", "FuzzSupport", .product(name: "HtdxIngest", package: "htdx")],
            swiftSettings: fuzzTarget),
        .executableTarget(
            name: "fuzz-yaml",
            dependencies: ["FuzzDriver", "FuzzSupport", .product(name: "HtdxPolicyFile", package: "htdx")],
            swiftSettings: fuzzTarget),
        .executableTarget(
            name: "fuzz-condition",
            dependencies: ["FuzzDriver", .product(name: "HtdxPolicyFile", package: "htdx")],
            swiftSettings: fuzzTarget),
    ]
)
