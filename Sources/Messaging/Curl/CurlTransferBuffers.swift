/// Where libcurl's write callback puts the response body. A cap keeps a misbehaving server from
/// filling the worker's memory: past it the callback refuses the data and the transfer fails.
final class CurlResponseSink {
    private(set) var bytes: [UInt8] = []
    let limit: Int
    private(set) var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    static let callback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, context in
        guard let context else { return 0 }
        let sink = Unmanaged<CurlResponseSink>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        guard sink.bytes.count + length <= sink.limit else {
            sink.overflowed = true
            return 0  // anything other than `length` makes libcurl stop with CURLE_WRITE_ERROR
        }
        if let data, length > 0 {
            data.withMemoryRebound(to: UInt8.self, capacity: length) {
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
        }
        return length
    }
}

/// The bytes libcurl's read callback hands out for an upload (the SMTP message).
final class CurlUploadSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    static let callback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { buffer, size, count, context in
        guard let buffer, let context else { return 0 }
        let source = Unmanaged<CurlUploadSource>.fromOpaque(context).takeUnretainedValue()
        let length = min(size * count, source.bytes.count - source.offset)
        guard length > 0 else { return 0 }  // 0 means end of data
        source.bytes.withUnsafeBufferPointer { all in
            UnsafeMutableRawPointer(buffer).copyMemory(from: all.baseAddress! + source.offset, byteCount: length)
        }
        source.offset += length
        return length
    }
}
