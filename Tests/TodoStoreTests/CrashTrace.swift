import Foundation
import TodoCore
@testable import TodoStore

// MARK: - A recorded trace of store operations

/// One operation of the crash/fault trace. Tasks are named by their (unique) titles, since ids are random.
enum TraceOp: CustomStringConvertible {
    case add(UserID, String, rid: String?)
    case concurrentAdds(UserID, [String])
    case retryAdd(UserID, rid: String)
    case rename(UserID, String, to: String)
    case complete(UserID, String)
    case delete(UserID, String)
    case saveThread(UserID, String)
    case saveItem(UserID, thread: String, id: String)
    case deleteItem(UserID, thread: String, id: String)
    case deleteThread(UserID, String)
    case compact

    var description: String {
        switch self {
        case .add(let u, let t, let r): "add(\(u),\(t),\(r ?? "-"))"
        case .concurrentAdds(let u, let ts): "concurrentAdds(\(u),\(ts))"
        case .retryAdd(let u, let r): "retryAdd(\(u),\(r))"
        case .rename(let u, let t, let n): "rename(\(u),\(t)->\(n))"
        case .complete(let u, let t): "complete(\(u),\(t))"
        case .delete(let u, let t): "delete(\(u),\(t))"
        case .saveThread(let u, let t): "saveThread(\(u),\(t))"
        case .saveItem(let u, let t, let i): "saveItem(\(u),\(t),\(i))"
        case .deleteItem(let u, let t, let i): "deleteItem(\(u),\(t),\(i))"
        case .deleteThread(let u, let t): "deleteThread(\(u),\(t))"
        case .compact: "compact"
        }
    }
}

/// Deterministic pseudo-random numbers (SplitMix64).
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds a mixed trace of `count` operations over two users.
func makeTrace(count: Int, seed: UInt64 = 42) -> [TraceOp] {
    var rng = SeededRandom(state: seed)
    let users = [user("alice"), user("bob")]
    var titles: [UserID: [String]] = [:]
    var rids: [UserID: [String]] = [:]
    var threads: [UserID: [String]] = [:]
    var items: [UserID: [String: [String]]] = [:]
    var ops: [TraceOp] = []
    var n = 0
    func fresh(_ prefix: String) -> String { n += 1; return "\(prefix)\(n)" }
    while ops.count < count {
        let u = users[Int.random(in: 0..<2, using: &rng)]
        let roll = Int.random(in: 0..<100, using: &rng)
        let live = titles[u] ?? []
        switch roll {
        case 0..<22:
            let t = fresh("task-")
            let rid = Bool.random(using: &rng) ? fresh("rid-") : nil
            ops.append(.add(u, t, rid: rid))
            titles[u, default: []].append(t)
            if let rid { rids[u, default: []].append(rid) }
        case 22..<30:
            let ts = (0..<4).map { _ in fresh("group-") }
            ops.append(.concurrentAdds(u, ts))
            titles[u, default: []] += ts
        case 30..<34 where !(rids[u] ?? []).isEmpty:
            ops.append(.retryAdd(u, rid: rids[u]!.randomElement(using: &rng)!))
        case 34..<44 where !live.isEmpty:
            let i = Int.random(in: 0..<live.count, using: &rng)
            let new = fresh("renamed-")
            ops.append(.rename(u, live[i], to: new))
            titles[u]![i] = new
        case 44..<54 where !live.isEmpty:
            ops.append(.complete(u, live.randomElement(using: &rng)!))
        case 54..<64 where !live.isEmpty:
            let i = Int.random(in: 0..<live.count, using: &rng)
            ops.append(.delete(u, live[i]))
            titles[u]!.remove(at: i)
        case 64..<70:
            let t = fresh("thr_")
            ops.append(.saveThread(u, t))
            threads[u, default: []].append(t)
        case 70..<86 where !(threads[u] ?? []).isEmpty:
            let t = threads[u]!.randomElement(using: &rng)!
            let existing = items[u]?[t] ?? []
            let id = (!existing.isEmpty && Bool.random(using: &rng)) ? existing.randomElement(using: &rng)! : fresh("it_")
            ops.append(.saveItem(u, thread: t, id: id))
            if !existing.contains(id) { items[u, default: [:]][t, default: []].append(id) }
        case 86..<92 where !(items[u]?.values.joined().isEmpty ?? true):
            let (t, ids) = items[u]!.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.randomElement(using: &rng)!
            let id = ids.randomElement(using: &rng)!
            ops.append(.deleteItem(u, thread: t, id: id))
            items[u]![t]!.removeAll { $0 == id }
        case 92..<94 where !(threads[u] ?? []).isEmpty:
            let t = threads[u]!.randomElement(using: &rng)!
            ops.append(.deleteThread(u, t))
            threads[u]!.removeAll { $0 == t }
            items[u]?[t] = nil
        case 94..<97:
            ops.append(.compact)
        default:
            break
        }
    }
    return ops
}
