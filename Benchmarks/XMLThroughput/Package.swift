// swift-tools-version:6.1
// Measures XMLRecordReader's throughput against a plain read(2) of the same file, in one run, and
// generates the synthetic bulk export it reads. Its own package, so that the main package and CI
// never build it. Benchmarks/xml.sh runs it next to `xmllint --sax --noout`.
import PackageDescription

let package = Package(
    name: "XMLThroughput",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "htdx", path: "../..")],
    targets: [
        .executableTarget(
            name: "xml-throughput",
            dependencies: [.product(name: "HtdxIngest", package: "htdx")],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
