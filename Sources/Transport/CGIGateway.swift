#if canImport(Glibc)
import Glibc
#endif
import Web

/// Plain CGI: one request from the environment and stdin, one response on stdout, then exit.
public enum CGIGateway {
    public static func serveOneRequest(responder: Responder, environment: [String: String], maxBody: Int) {
        var body = [UInt8]()
        var tooLarge = false
        if let length = CGIEnvironment.contentLength(environment), length > 0 {
            if length > maxBody {
                tooLarge = true
            } else {
                body = readStandardInput(upTo: length)
            }
        }
        let request = CGIEnvironment.request(parameters: environment, body: body, bodyExceedsLimit: tooLarge)
        let response = responder.respond(to: request)
        let bytes = CGIResponseEncoder.encode(response, includeBody: request.method != "HEAD")
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
    }

    private static func readStandardInput(upTo length: Int) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let got = body[filled...].withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            filled += got
        }
        return Array(body[0..<filled])
    }
}
