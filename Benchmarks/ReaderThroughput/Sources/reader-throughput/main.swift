// reader-throughput FILE [DELIMITER] [REPETITIONS]
//
// Times, on the same file in the same process: (1) read(2) through a 1 MiB buffer, summing the
// bytes so the loop is not optimised away (the reference), and (2) CSVReader splitting every
// record into fields and validating it as UTF-8, touching every field. Prints the best of each
// and the ratio, so the figure travels between machines.
import Foundation
import Ingest

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: reader-throughput FILE [DELIMITER] [REPETITIONS]\n".utf8))
    exit(2)
}
let path = arguments[1]
let delimiter = arguments.count > 2 ? Array(arguments[2].utf8)[0] : UInt8(ascii: ",")
let repetitions = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)

func seconds(_ body: () throws -> Int) rethrows -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, result)
}

func plainRead() -> Int {
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 20)
    defer { buffer.deallocate() }
    var sum = 0
    while true {
        let n = read(fd, buffer, 1 << 20)
        if n <= 0 { break }
        var i = 0
        while i < n { sum &+= Int(buffer[i]); i += 8 }
    }
    return sum
}

func parse() throws -> Int {
    var reader = try CSVReader(path: path, delimiter: delimiter)
    var fields = 0
    var bytes = 0
    while try reader.next() {
        for f in 0..<reader.fieldCount { bytes &+= reader.field(f).count }
        fields += reader.fieldCount
    }
    return fields &+ bytes
}

var bestRead = Double.infinity, bestParse = Double.infinity
for _ in 0..<repetitions {
    bestRead = min(bestRead, seconds(plainRead).0)
    bestParse = min(bestParse, try seconds(parse).0)
}
let mb = size / 1e6
print(String(format: "file: %.1f MB, best of %d", mb, repetitions))
print(String(format: "read(2) reference:            %8.0f MB/s", mb / bestRead))
print(String(format: "CSVReader (fields + UTF-8):   %8.0f MB/s  (%.2f× the reference's time)", mb / bestParse, bestParse / bestRead))
