import CFCGI
#if canImport(Glibc)
import Glibc
#endif

// The same worker as ../shared/bench/anchor-swift-hello's SwiftFCGIDemo, so the floor is the one
// the reference harness measures:
//   bench-hello --master N /path/to.sock   opens the socket and posix_spawn()s N workers with it on fd 0
//   bench-hello                            (fd 0 = listening socket) worker: FCGX_Accept_r loop
func logErr(_ s: String) { s.withCString { _ = write(2, $0, strlen($0)) } }

let args = CommandLine.arguments
if args.count == 4 && args[1] == "--master" {
    let n = Int(args[2]) ?? 2
    let sock = FCGX_OpenSocket(args[3], 511)
    guard sock >= 0 else { logErr("FCGX_OpenSocket failed\n"); exit(1) }
    chmod(args[3], 0o666)
    var selfPath = [CChar](repeating: 0, count: 4096)
    let len = readlink("/proc/self/exe", &selfPath, 4095)
    guard len > 0 else { exit(1) }
    func spawn() -> pid_t {
        var fa = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fa)
        posix_spawn_file_actions_adddup2(&fa, sock, 0)
        posix_spawn_file_actions_addclose(&fa, sock)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(selfPath), nil]
        let rc = posix_spawn(&pid, selfPath, &fa, nil, argv, environ)
        posix_spawn_file_actions_destroy(&fa)
        argv.forEach { free($0) }
        if rc != 0 { logErr("posix_spawn failed: \(rc)\n"); return -1 }
        return pid
    }
    var children = Set<pid_t>()
    for _ in 0..<n { let p = spawn(); if p > 0 { children.insert(p) } }
    // Stop the workers with the master (the bench sends SIGTERM to the master only).
    signal(SIGTERM) { _ in kill(0, SIGTERM); _exit(0) }
    while !children.isEmpty {
        var status: Int32 = 0
        let p = waitpid(-1, &status, 0)
        if p < 0 { if errno == EINTR { continue } else { break } }
        children.remove(p)
    }
    exit(0)
}

guard FCGX_Init() == 0 else { logErr("FCGX_Init failed\n"); exit(1) }
var req = FCGX_Request()
guard FCGX_InitRequest(&req, 0, 0) == 0 else { exit(1) }
var served = 0
while FCGX_Accept_r(&req) >= 0 {
    served += 1
    let uri = FCGX_GetParam("REQUEST_URI", req.envp).map { String(cString: $0) } ?? "-"
    let body = "Hello from Swift pid \(getpid()) req \(served) uri \(uri) fd \(req.ipcFd)\n"
    let script = FCGX_GetParam("SCRIPT_NAME", req.envp).map { String(cString: $0) } ?? "-"
    let head = "Status: 200 OK\r\n"
        + "X-Auth-User: demo-user\r\nX-Seen-URI: \(uri)\r\nX-Seen-Script: \(script)\r\n"
        + "Content-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
    let out = head + body
    _ = out.withCString { FCGX_PutStr($0, Int32(strlen($0)), req.out) }
    FCGX_Finish_r(&req)
}
exit(0)
