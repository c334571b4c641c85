// MARK: - Content lines (RFC 5545 section 3.1)

/// One unfolded content line: `NAME;PARAM=VALUE:value`.
struct ICalContentLine: Sendable {
    /// The first physical line it came from (1-based).
    var line: Int
    /// The property name, uppercased, without a group prefix.
    var name: String
    /// Parameters, names uppercased, values unquoted (the first value of a list).
    var params: [String: String]
    /// The raw value (still TEXT-escaped).
    var value: String
}

enum ICalText {
    /// Longest logical line read; longer ones are reported and skipped.
    static let maxLine = 100_000

    /// Splits text into logical lines: LF or CRLF endings, a line starting with a space or tab continues the previous one.
    /// - Returns: (first physical line number, unfolded text) pairs.
    static func unfold(_ text: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        var number = 0
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = raw
            if line.last == "\r" { line = line.dropLast() }
            if let first = line.first, first == " " || first == "\t", !out.isEmpty {
                if out[out.count - 1].1.utf8.count <= maxLine { out[out.count - 1].1.unicodeScalars.append(contentsOf: line.dropFirst()) }
            } else if !line.isEmpty {
                out.append((number, String(String.UnicodeScalarView(line))))
            }
        }
        return out
    }

    /// Parses one logical line, or nil when it has no `:` or no name.
    static func parse(_ text: String, line: Int) -> ICalContentLine? {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var name = ""
        while i < scalars.count, scalars[i] != ";", scalars[i] != ":" { name.unicodeScalars.append(scalars[i]); i += 1 }
        if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ isNameScalar($0) }) else { return nil }
        var params: [String: String] = [:]
        while i < scalars.count, scalars[i] == ";" {
            i += 1
            var pname = ""
            while i < scalars.count, scalars[i] != "=", scalars[i] != ":", scalars[i] != ";" { pname.unicodeScalars.append(scalars[i]); i += 1 }
            guard i < scalars.count, scalars[i] == "=" else { return nil }
            i += 1
            var values: [String] = []
            var current = ""
            while i < scalars.count {
                let c = scalars[i]
                if c == "\"" {
                    i += 1
                    while i < scalars.count, scalars[i] != "\"" { current.unicodeScalars.append(scalars[i]); i += 1 }
                    guard i < scalars.count else { return nil }
                    i += 1
                } else if c == "," {
                    values.append(current); current = ""; i += 1
                } else if c == ";" || c == ":" {
                    break
                } else {
                    current.unicodeScalars.append(c); i += 1
                }
            }
            values.append(current)
            params[pname.uppercased()] = values.first ?? ""
        }
        guard i < scalars.count, scalars[i] == ":" else { return nil }
        var value = ""
        value.unicodeScalars.append(contentsOf: scalars[(i + 1)...])
        return ICalContentLine(line: line, name: name.uppercased(), params: params, value: value)
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        (s >= "A" && s <= "Z") || (s >= "a" && s <= "z") || (s >= "0" && s <= "9") || s == "-"
    }

    /// TEXT escaping: `\` `;` `,` and line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            switch s {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": break
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// Splits a TEXT list on unescaped commas and unescapes each item.
    static func unescapeList(_ value: String) -> [String] {
        var items: [String] = []
        var current = ""
        var escaped = false
        for s in value.unicodeScalars {
            if escaped {
                switch s {
                case "n", "N": current += "\n"
                default: current.unicodeScalars.append(s)
                }
                escaped = false
            } else if s == "\\" {
                escaped = true
            } else if s == "," {
                items.append(current); current = ""
            } else {
                current.unicodeScalars.append(s)
            }
        }
        if escaped { current += "\\" }
        items.append(current)
        return items
    }

    /// Unescapes one TEXT value (commas stay commas).
    static func unescape(_ value: String) -> String { unescapeList(value).joined(separator: ",") }

    /// Folds a logical line to at most 75 octets per physical line, never inside a UTF-8 sequence, CRLF-terminated.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        var limit = 75
        for s in line.unicodeScalars {
            let width = String(s).utf8.count
            if count + width > limit {
                out += "\r\n "
                count = 0
                limit = 74
            }
            out.unicodeScalars.append(s)
            count += width
        }
        return out + "\r\n"
    }
}

// MARK: - Date and date-time values

enum ICalDate {
    /// `20261201`.
    static func basic(_ date: LocalDate) -> String { pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2) }

    /// `20261201T160000Z` for an instant (milliseconds dropped).
    static func utc(_ instant: Timestamp) -> String {
        let seconds = instant.millisecondsSinceEpoch.floorDivided(by: 1000)
        let day = seconds.floorDivided(by: 86_400)
        let sec = Int(seconds - day * 86_400)
        return basic(LocalDate(dayNumber: Int(day))) + "T" + pad(sec / 3600, 2) + pad(sec / 60 % 60, 2) + pad(sec % 60, 2) + "Z"
    }

    /// Parses `YYYYMMDD`.
    static func date(_ text: String) -> LocalDate? {
        let b = Array(text.utf8)
        guard b.count == 8, let y = digits(b, 0, 4), let m = digits(b, 4, 2), let d = digits(b, 6, 2) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// Parses `YYYYMMDDTHHMMSS[Z]`: the date, the second of the day and whether it is UTC.
    static func dateTime(_ text: String) -> (LocalDate, Int, Bool)? {
        let b = Array(text.utf8)
        guard b.count == 15 || (b.count == 16 && (b[15] == UInt8(ascii: "Z") || b[15] == UInt8(ascii: "z"))),
            b[8] == UInt8(ascii: "T") || b[8] == UInt8(ascii: "t"),
            let date = date(String(decoding: b[0..<8], as: UTF8.self)),
            let h = digits(b, 9, 2), let m = digits(b, 11, 2), let s = digits(b, 13, 2), h < 24, m < 60, s < 60
        else { return nil }
        return (date, h * 3600 + m * 60 + s, b.count == 16)
    }

    /// The instant of a UTC date and time.
    static func instant(_ date: LocalDate, _ secondOfDay: Int) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: (Int64(date.dayNumber) * 86_400 + Int64(secondOfDay)) * 1000)
    }
}
