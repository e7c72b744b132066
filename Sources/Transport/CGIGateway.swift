#if canImport(Glibc)
import Glibc
#endif
import Web

/// Plain CGI: one request from the environment and stdin, one response on stdout, then exit.
public enum CGIGateway {
    public static func serveOneRequest(responder: any Responder, environment: [String: String], maxBody: Int) {
        // Plain CGI has a body only when CONTENT_LENGTH says so: stdin may be a terminal.
        let body = RequestBodyReader.read(declaredLength: RequestBodyReader.declaredLength(environment) ?? 0, maxBody: maxBody) { buffer in
            read(0, buffer.baseAddress, buffer.count)
        }
        let request = CGIEnvironment.request(parameters: environment, body: body.bytes, bodyExceedsLimit: body.exceedsLimit)
        let response = responder.respond(to: request)
        let bytes = CGIResponseEncoder.encode(response, includeBody: request.method != "HEAD")
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            offset += written
        }
    }
}
