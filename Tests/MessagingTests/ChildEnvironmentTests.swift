import Foundation
@testable import Messaging
import Testing

/// The `command` providers' children get a small fixed environment, never the worker's (which
/// in plain-CGI mode holds request headers as HTTP_* variables, HTTP_PROXY among them). The
/// probe variable is not HTTP_PROXY itself, as tests run in parallel in one process.
@Suite struct ChildEnvironmentTests {
    @Test func theChildSeesOnlyPathAndLang() throws {
        setenv("HTTP_X_FORWARDED_PROBE", "from a request header", 1)
        setenv("COUNTERSIGN_TEST_SECRET", "s3cret", 1)
        defer {
            unsetenv("HTTP_X_FORWARDED_PROBE")
            unsetenv("COUNTERSIGN_TEST_SECRET")
        }
        let dir = try TemporaryDirectory()
        let script = try dir.script("send-sms", "cat > /dev/null; /usr/bin/env > \(dir.file("env"))")
        _ = try CommandSmsSender(config: makeConfig("[sms]\ncommand = \(script)\n")).send(SmsMessage(to: "+12015550123", body: "hi"))
        let lines = Set(try dir.read("env").split(separator: "\n").map(String.init)).subtracting(["PWD=" + FileManager.default.currentDirectoryPath, "SHLVL=0", "SHLVL=1", "_=/usr/bin/env"])
        #expect(lines == ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8"])
    }
}
