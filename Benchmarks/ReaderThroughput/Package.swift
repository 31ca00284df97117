// swift-tools-version:6.1
// Measures the CSV reader's throughput against a plain read(2) of the same file, in one run.
// Its own package, so that the main package and CI never build it.
import PackageDescription

let package = Package(
    name: "ReaderThroughput",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "htdx", path: "../..")],
    targets: [
        .executableTarget(
            name: "reader-throughput",
            dependencies: [.product(name: "HtdxIngest", package: "htdx")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
