public import TodoCore

// MARK: - Method specs

/// One control-protocol method: its wire name and its typed params and result.
/// `ControlClient.call(_:_:)` uses these so no caller ever builds JSON by hand.
public protocol ControlMethod: Sendable {
    /// The parameters type.
    associatedtype Params: Codable & Sendable
    /// The result type.
    associatedtype Result: Codable & Sendable
    /// The wire name, for example `tasks.add`.
    static var name: String { get }
}

/// Every method the control socket speaks.
public enum ControlMethods {
    /// The notification that carries task changes after `events.subscribe`.
    public static let taskEventNotification = "events.task"
    /// The notification that ends a subscription's events: changes may have been missed (the daemon lost its
    /// database for longer than it can replay, or is stopping). Re-read the list, then subscribe again.
    public static let resyncNotification = "events.resync"

    /// `status`: version, pid, uptime, data directory, counts.
    public enum Status: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = StatusResult
        public static let name = "status"
    }
    /// `tasks.add`: create a task (idempotent with `request_id`).
    public enum AddTask: ControlMethod {
        public typealias Params = AddTaskParams
        public typealias Result = TaskItem
        public static let name = "tasks.add"
    }
    /// `tasks.list`: the caller's tasks that match the filters (view, due, priority, label, project, q, sort, limit).
    public enum ListTasks: ControlMethod {
        public typealias Params = ListTasksParams
        public typealias Result = TaskListResult
        public static let name = "tasks.list"
    }
    /// `tasks.get`: one task.
    public enum GetTask: ControlMethod {
        public typealias Params = TaskIDParams
        public typealias Result = TaskItem
        public static let name = "tasks.get"
    }
    /// `tasks.update`: change any field; null clears.
    public enum UpdateTask: ControlMethod {
        public typealias Params = UpdateTaskParams
        public typealias Result = TaskItem
        public static let name = "tasks.update"
    }
    /// `tasks.complete`: mark done (or reopen with `completed: false`).
    public enum CompleteTask: ControlMethod {
        public typealias Params = CompleteTaskParams
        public typealias Result = TaskItem
        public static let name = "tasks.complete"
    }
    /// `tasks.delete`: remove a task; returns it as it was.
    public enum DeleteTask: ControlMethod {
        public typealias Params = TaskIDParams
        public typealias Result = TaskItem
        public static let name = "tasks.delete"
    }
    /// `tasks.undo`: undo the caller's most recent task change (409-like conflict when there is none).
    public enum UndoTask: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = UndoResult
        public static let name = "tasks.undo"
    }
    /// `token.issue`: a bearer token for the HTTP API.
    public enum IssueToken: ControlMethod {
        public typealias Params = IssueTokenParams
        public typealias Result = TokenResult
        public static let name = "token.issue"
    }
    /// `login.code`: a one-time browser login URL.
    public enum LoginCode: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = LoginCodeResult
        public static let name = "login.code"
    }
    /// `data.compact`: rewrite the logs now.
    public enum Compact: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = OperationResult
        public static let name = "data.compact"
    }
    /// `data.backup`: a consistent copy into a directory.
    public enum Backup: ControlMethod {
        public typealias Params = BackupParams
        public typealias Result = OperationResult
        public static let name = "data.backup"
    }
    /// `data.export`: every user's data as one JSON document.
    public enum Export: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = JSONValue
        public static let name = "data.export"
    }
    /// `data.import`: load an export document.
    public enum Import: ControlMethod {
        public typealias Params = ImportParams
        public typealias Result = OperationResult
        public static let name = "data.import"
    }
    /// `events.subscribe`: task changes as `events.task` notifications.
    public enum Subscribe: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = SubscribeResult
        public static let name = "events.subscribe"
    }
    /// `shutdown`: stop the daemon gracefully.
    public enum Shutdown: ControlMethod {
        public typealias Params = EmptyParams
        public typealias Result = OperationResult
        public static let name = "shutdown"
    }
}

// MARK: - Decoded request

/// A decoded request, one case per method, with typed parameters.
public enum ControlRequest: Sendable, Hashable {
    case status
    case addTask(AddTaskParams)
    case listTasks(ListTasksParams)
    case getTask(TaskIDParams)
    case updateTask(UpdateTaskParams)
    case completeTask(CompleteTaskParams)
    case deleteTask(TaskIDParams)
    case undoTask
    case issueToken(IssueTokenParams)
    case loginCode
    case compact
    case backup(BackupParams)
    case export
    case importData(ImportParams)
    case exportICS
    case importICS(ImportICSParams)
    case subscribe
    case shutdown

    /// The wire name of the method.
    public var method: String {
        switch self {
        case .status: ControlMethods.Status.name
        case .addTask: ControlMethods.AddTask.name
        case .listTasks: ControlMethods.ListTasks.name
        case .getTask: ControlMethods.GetTask.name
        case .updateTask: ControlMethods.UpdateTask.name
        case .completeTask: ControlMethods.CompleteTask.name
        case .deleteTask: ControlMethods.DeleteTask.name
        case .undoTask: ControlMethods.UndoTask.name
        case .issueToken: ControlMethods.IssueToken.name
        case .loginCode: ControlMethods.LoginCode.name
        case .compact: ControlMethods.Compact.name
        case .backup: ControlMethods.Backup.name
        case .export: ControlMethods.Export.name
        case .importData: ControlMethods.Import.name
        case .exportICS: ControlMethods.ExportICS.name
        case .importICS: ControlMethods.ImportICS.name
        case .subscribe: ControlMethods.Subscribe.name
        case .shutdown: ControlMethods.Shutdown.name
        }
    }
}
