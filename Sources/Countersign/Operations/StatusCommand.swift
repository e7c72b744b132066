import Config
import FoundationEssentials
import Transport
import Web
#if canImport(Glibc)
import Glibc
#endif

/// `countersign status --config FILE [--json]`: the running pool of this config, read from its
/// status file (`PoolStatusFile.path(for: server.listen, …)`, e.g. `/run/countersign/countersign.sock.status`).
/// Exit 0, or 1 when no pool of this config runs (no file, or its supervisor is gone).
enum StatusCommand {
    static func run(configPath: String, environment: [String: String], json: Bool) -> Int32 {
        // Only server.listen is needed: the config may be mid-edit, the pool still runs.
        let config = Config(path: configPath, environment: environment)
        let server = ServerSettings(config: config)
        let path = PoolStatusFile.path(for: server.listen, configPath: configPath)
        guard let file = PoolStatusFile.open(path: path, writable: false), isAlive(file.supervisorPid) else {
            CountersignCommand.printError("countersign: no pool of \(configPath) is running (no live supervisor in \(path))")
            return 1
        }
        let now = Date()
        let workers = file.workers().sorted { $0.index < $1.index }
        if json {
            print(jsonText(file: file, workers: workers, configPath: configPath, now: now))
        } else {
            print(text(file: file, workers: workers, configPath: configPath, now: now))
        }
        return 0
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    static func text(file: PoolStatusFile, workers: [PoolStatusFile.WorkerSlot], configPath: String, now: Date) -> String {
        var lines = [
            "pool:       \(configPath)",
            "supervisor: pid \(file.supervisorPid), up \(duration(now.timeIntervalSince(file.startedAt))) (since \(iso8601(file.startedAt)))",
            "reloads:    \(file.generation)",
            "restarts:   \(file.restarts) (workers that died and were replaced)",
            "workers:    \(workers.filter { !$0.retiring }.count)",
            "",
            pad("PID", 8) + pad("STATE", 10) + pad("REQUESTS", 10) + pad("STARTED", 22) + "UP",
        ]
        for worker in workers {
            let state = worker.state.name + (worker.retiring ? "*" : "")
            lines.append(pad(String(worker.pid), 8) + pad(state, 10) + pad(String(worker.requests), 10)
                         + pad(iso8601(worker.startedAt), 22) + duration(now.timeIntervalSince(worker.startedAt)))
        }
        if workers.contains(where: \.retiring) { lines.append("* leaving after a reload, once its request is done") }
        return lines.joined(separator: "\n")
    }

    static func jsonText(file: PoolStatusFile, workers: [PoolStatusFile.WorkerSlot], configPath: String, now: Date) -> String {
        let items = workers.map { worker in
            "{\"pid\":\(worker.pid),\"state\":\(JSONText.string(worker.state.name)),\"requests\":\(worker.requests),"
                + "\"started_at\":\(JSONText.string(iso8601(worker.startedAt))),\"generation\":\(worker.generation),"
                + "\"retiring\":\(worker.retiring)}"
        }
        return "{\"config\":\(JSONText.string(configPath)),\"supervisor\":{\"pid\":\(file.supervisorPid),"
            + "\"started_at\":\(JSONText.string(iso8601(file.startedAt))),\"uptime_seconds\":\(Int(now.timeIntervalSince(file.startedAt)))},"
            + "\"reloads\":\(file.generation),\"restarts\":\(file.restarts),\"workers\":[\(items.joined(separator: ","))]}"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func duration(_ seconds: TimeInterval) -> String {
        var left = max(0, Int(seconds))
        let days = left / 86_400; left %= 86_400
        let hours = left / 3600; left %= 3600
        let minutes = left / 60
        let secs = left % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(secs)s" }
        return "\(secs)s"
    }

    static func iso8601(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var fields = tm()
        gmtime_r(&time, &fields)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(fields.tm_year + 1900)-\(two(fields.tm_mon + 1))-\(two(fields.tm_mday))T\(two(fields.tm_hour)):\(two(fields.tm_min)):\(two(fields.tm_sec))Z"
    }
}
