import Foundation

/// Parses a list of XML files on a second thread and hands their records to the caller's thread in
/// batches, so that libxml2's parsing and the caller's mapping of each record run on two cores.
///
/// Parsing is most of the cost of reading XML: through a profile, one thread read 145–152 MB/s,
/// of which the parser alone accounted for 170–176. With the two overlapped, the slower stage sets
/// the pace. Batches keep the hand-over cost per record small, and at most `depth` batches wait
/// at a time, so memory stays bounded by the batch size, not by the file.
///
/// The parser thread stops at the first error, after handing over the records completed before
/// it, as ``XMLRecordReader`` does. The thread holds the pipe until it ends, so the owner must call
/// ``cancel()`` when it stops early (for example on an unmapped element): that ends the thread and
/// waits for it, so no file stays open and no parsing goes on behind a finished run.
final class XMLRecordPipe: @unchecked Sendable {
    /// What the parser thread hands over, in order.
    enum Item: Sendable {
        /// Records of one file, in document order.
        case records(file: String, [XMLRecord])
        /// Opening or parsing `file` failed; nothing follows.
        case failure(file: String, XMLError)
    }

    // All state below is guarded by `condition`, which is why the class can be @unchecked Sendable.
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var head = 0
    private var producerDone = false
    private var cancelled = false
    private let depth: Int

    /// Starts parsing `files` in order. `batchSize` records go into each hand-over.
    init(files: [String], record: XMLName, limits: XMLLimits = .init(), batchSize: Int = 256, depth: Int = 4) {
        self.depth = max(1, depth)
        let batchSize = max(1, batchSize)
        let thread = Thread { [self] in
            self.produce(files: files, record: record, limits: limits, batchSize: batchSize)
        }
        // The parser needs little stack; libxml2's recursion is bounded by the reader's depth limit.
        thread.stackSize = 8 << 20
        thread.name = "htdx-xml-parser"
        thread.start()
    }

    /// The next item, waiting for the parser thread; nil once every file has been read.
    func next() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !producerDone { condition.wait() }
        guard head < queue.count else { return nil }
        let item = queue[head]
        head += 1
        if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
        condition.broadcast()
        return item
    }

    /// Stops the parser thread and waits until it has closed its file.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        queue.removeAll()
        head = 0
        condition.unlock()
    }

    // MARK: The parser thread

    private func produce(files: [String], record: XMLName, limits: XMLLimits, batchSize: Int) {
        defer {
            condition.lock()
            producerDone = true
            condition.broadcast()
            condition.unlock()
        }
        for file in files {
            var reader: XMLRecordReader
            switch Result(catching: { () throws(XMLError) in try XMLRecordReader(path: file, record: record, limits: limits) }) {
            case .success(let opened): reader = opened
            case .failure(let error):
                _ = push(.failure(file: file, error))
                return
            }
            var batch: [XMLRecord] = []
            batch.reserveCapacity(batchSize)
            var failure: XMLError?
            // Read to the end of the file or to its first error; the records before an error still go.
            reading: while true {
                switch Result(catching: { () throws(XMLError) in try reader.next() }) {
                case .success(let record?):
                    batch.append(record)
                    guard batch.count == batchSize else { continue }
                    guard push(.records(file: file, batch)) else { return }
                    batch = []
                    batch.reserveCapacity(batchSize)
                case .success(nil):
                    break reading
                case .failure(let error):
                    failure = error
                    break reading
                }
            }
            if !batch.isEmpty { guard push(.records(file: file, batch)) else { return } }
            if let failure {
                _ = push(.failure(file: file, failure))
                return
            }
        }
    }

    /// Queues an item, waiting while `depth` items are already queued; false if cancelled.
    private func push(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(item)
        condition.broadcast()
        return true
    }
}
