public import Web

/// What the transport calls for every request. The transport knows nothing of accounts: it turns
/// FastCGI or CGI parameters into a `Request` and the `Response` back into bytes.
public protocol Responder: AnyObject {
    /// Must always return: errors are the responder's to turn into a 500.
    func respond(to request: Request) -> Response
}
