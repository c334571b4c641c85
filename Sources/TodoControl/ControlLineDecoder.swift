import Foundation
import TodoCore
internal import ChatKitProtocol

/// A parsed line (ChatKitProtocol's JSON value: keys in order, numbers as their text).
private typealias Tree = ChatKitProtocol.JSONValue

// MARK: - Decoded line

/// What one request line decodes to: a typed request, or the error response to send.
public enum DecodedLine: Sendable, Hashable {
    /// A valid request. `id` is nil for a notification (the server then sends no response).
    case request(id: RequestID?, ControlRequest)
    /// An invalid line: respond with `error` and `id` (null when the id could not be read).
    case failure(id: RequestID?, RPCError)
}

// MARK: - Line decoder

/// Decodes one newline-free line of the control protocol. A pure value: no I/O, testable and fuzzable.
///
/// Invalid JSON → -32700; not a request object → -32600; unknown method → -32601;
/// missing or bad params → -32602 with `data.field` naming the parameter.
public struct ControlLineDecoder: Sendable {
    /// The default longest accepted line: 1 MiB (without the newline).
    public static let defaultMaxLineBytes = 1 << 20

    /// The longest accepted line, in bytes.
    public var maxLineBytes: Int

    /// - Parameter maxLineBytes: the longest accepted line.
    public init(maxLineBytes: Int = ControlLineDecoder.defaultMaxLineBytes) {
        self.maxLineBytes = maxLineBytes
    }

    /// Decodes `line` (without its trailing newline).
    /// - Parameter line: the raw bytes.
    /// - Returns: the request or the error to answer with.
    public func decode(_ line: some Collection<UInt8>) -> DecodedLine {
        guard line.count <= maxLineBytes else {
            return .failure(id: nil, .invalidRequest("request line exceeds \(maxLineBytes) bytes"))
        }
        // The line is parsed once; the params are read from the parsed tree (`JSONValueDecoder`).
        let value: Tree
        do {
            value = try Tree.parse(line)
        } catch {
            return .failure(id: nil, .parseError("invalid JSON"))
        }
        guard case .object(let fields) = value else {
            if case .array = value { return .failure(id: nil, .invalidRequest("batch requests are not supported")) }
            return .failure(id: nil, .invalidRequest("a request must be a JSON object"))
        }
        // When a key repeats, the last value counts (as it did when the line was decoded into a dictionary).
        func member(_ key: String) -> Tree? { fields.last { $0.0 == key }?.1 }
        var id: RequestID?
        switch member("id") {
        case nil, .null?: id = nil
        case .string(let s)?: id = .string(s)
        case .number(let text)?:
            guard let n = Double(text), n.rounded() == n, abs(n) < 9.0e15 else {
                return .failure(id: nil, .invalidRequest("id must be a string or an integer"))
            }
            id = .number(Int64(n))
        default: return .failure(id: nil, .invalidRequest("id must be a string or an integer"))
        }
        guard case .string("2.0")? = member("jsonrpc") else {
            return .failure(id: id, .invalidRequest("jsonrpc must be \"2.0\""))
        }
        guard case .string(let method)? = member("method") else {
            return .failure(id: id, .invalidRequest("method must be a string"))
        }
        let params: Tree
        switch member("params") {
        case nil, .null?: params = .object([])
        case .object(let object)?: params = .object(object)
        default: return .failure(id: id, .invalidParams(field: "params", "params must be an object"))
        }
        do {
            guard let request = try Self.request(method: method, params: params) else {
                return .failure(id: id, .methodNotFound(method))
            }
            return .request(id: id, request)
        } catch let error as RPCError {
            return .failure(id: id, error)
        } catch {
            return .failure(id: id, Self.paramsError(error))
        }
    }

    // MARK: Methods

    private static func request(method: String, params: Tree) throws -> ControlRequest? {
        func p<P: Decodable>(_ type: P.Type) throws -> P { try JSONValueDecoder.decode(type, from: params) }
        switch method {
        case ControlMethods.Status.name: return .status
        case ControlMethods.AddTask.name:
            let params = try p(AddTaskParams.self)
            try ControlTaskMapping.checkTitleOrText(params)
            try checkRequestID(params.requestID)
            return .addTask(params)
        case ControlMethods.ListTasks.name: return .listTasks(try p(ListTasksParams.self))
        case ControlMethods.GetTask.name: return .getTask(try p(TaskIDParams.self))
        case ControlMethods.UpdateTask.name:
            let params = try p(UpdateTaskParams.self)
            try checkRequestID(params.requestID)
            return .updateTask(params)
        case ControlMethods.CompleteTask.name:
            let params = try p(CompleteTaskParams.self)
            try checkRequestID(params.requestID)
            return .completeTask(params)
        case ControlMethods.DeleteTask.name: return .deleteTask(try p(TaskIDParams.self))
        case ControlMethods.UndoTask.name: return .undoTask
        case ControlMethods.IssueToken.name:
            let params = try p(IssueTokenParams.self)
            if let ttl = params.ttlSeconds, ttl <= 0 {
                throw RPCError.invalidParams(field: "ttl_seconds", "ttl_seconds must be positive")
            }
            return .issueToken(params)
        case ControlMethods.LoginCode.name: return .loginCode
        case ControlMethods.Compact.name: return .compact
        case ControlMethods.Backup.name:
            let params = try p(BackupParams.self)
            guard params.directory.hasPrefix("/") else {
                throw RPCError.invalidParams(field: "directory", "directory must be an absolute path")
            }
            return .backup(params)
        case ControlMethods.Export.name: return .export
        case ControlMethods.Import.name: return .importData(try p(ImportParams.self))
        case ControlMethods.ExportICS.name: return .exportICS
        case ControlMethods.ImportICS.name: return .importICS(try p(ImportICSParams.self))
        case ControlMethods.Subscribe.name: return .subscribe
        case ControlMethods.Shutdown.name: return .shutdown
        default: return nil
        }
    }

    private static func checkRequestID(_ id: String?) throws {
        if let id, !(1...128).contains(id.utf8.count) {
            throw RPCError.invalidParams(field: "request_id", "request_id must be 1-128 bytes")
        }
    }

    // MARK: Errors

    /// Maps a decoding or validation failure to -32602 naming the field.
    static func paramsError(_ error: any Error) -> RPCError {
        if let todo = error as? TodoError {
            return .invalidParams(field: todo.field ?? "params", todo.message)
        }
        guard let decoding = error as? DecodingError else {
            return .invalidParams(field: "params", "invalid params")
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            let name = fieldName(context.codingPath + [key])
            return .invalidParams(field: name, "missing required field '\(name)'")
        case .typeMismatch(let type, let context):
            let name = fieldName(context.codingPath)
            return .invalidParams(field: name, "field '\(name)' must be of type \(typeName(type))")
        case .valueNotFound(_, let context):
            let name = fieldName(context.codingPath)
            return .invalidParams(field: name, "field '\(name)' must not be null")
        case .dataCorrupted(let context):
            let name = fieldName(context.codingPath)
            return .invalidParams(field: name, "field '\(name)' has an invalid value")
        @unknown default:
            return .invalidParams(field: "params", "invalid params")
        }
    }

    private static func fieldName(_ path: [any CodingKey]) -> String {
        let names = path.filter { $0.intValue == nil }.map(\.stringValue).filter { $0 != "params" }
        return names.last ?? "params"
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Bool.Type: "boolean"
        case is Int.Type, is Int64.Type, is Double.Type: "number"
        default: "object"
        }
    }
}

// MARK: - Fuzzing

extension ControlLineDecoder {
    /// The JSON-RPC error codes the decoder may produce.
    static let decoderCodes: Set<Int> = [
        RPCError.parseErrorCode, RPCError.invalidRequestCode, RPCError.methodNotFoundCode, RPCError.invalidParamsCode,
    ]

    /// Decodes arbitrary bytes and traps when an invariant breaks: the result is a request, or an error with
    /// one of the four decoder codes; -32602 always names a field; a parse error never carries an id.
    /// Used by the libFuzzer harness and by the corpus replay test.
    /// - Parameter bytes: any input.
    public static func fuzzCheck(_ bytes: some Collection<UInt8>) {
        switch ControlLineDecoder(maxLineBytes: 1 << 16).decode(bytes) {
        case .request(_, let request):
            precondition(!request.method.isEmpty)
        case .failure(let id, let error):
            precondition(decoderCodes.contains(error.code), "unexpected code \(error.code)")
            if error.code == RPCError.invalidParamsCode { precondition(error.data?.field?.isEmpty == false, "-32602 without a field") }
            if error.code == RPCError.parseErrorCode { precondition(id == nil, "parse error with an id") }
        }
    }
}
