import Foundation
import Testing
import ChatKitProtocol

// MARK: - JSONValueDecoder / JSONValueEncoder against Foundation's coders

private struct Sample: Codable, Equatable {
    enum Color: String, Codable { case red, blue }
    struct Inner: Codable, Equatable {
        var n: Int
        var tags: [String]?
    }

    var title: String
    var count: Int?
    var ratio: Double?
    var done: Bool?
    var color: Color?
    var inner: Inner?
    var list: [Inner]?
    var map: [String: Int]?
    var small: Int8?
    var big: UInt64?
}

/// How a decode ended, comparable across decoders: the value, or the error's kind and coding path.
private enum Outcome: Equatable {
    case value(Sample)
    case failure(String, [String])

    init(_ body: () throws -> Sample) {
        do { self = .value(try body()) } catch let error as DecodingError {
            func path(_ p: [any CodingKey]) -> [String] { p.map { $0.intValue.map { "#\($0)" } ?? $0.stringValue } }
            switch error {
            case .keyNotFound(let key, let c): self = .failure("keyNotFound", path(c.codingPath + [key]))
            case .typeMismatch(_, let c): self = .failure("typeMismatch", path(c.codingPath))
            case .valueNotFound(_, let c): self = .failure("valueNotFound", path(c.codingPath))
            case .dataCorrupted(let c): self = .failure("dataCorrupted", path(c.codingPath))
            @unknown default: self = .failure("unknown", [])
            }
        } catch { self = .failure("other \(error)", []) }
    }
}

@Suite("JSONValue coders")
struct JSONValueCodingTests {
    static let inputs: [String] = [
        #"{"title":"a"}"#,
        #"{"title":"a","count":3,"ratio":0.5,"done":true,"color":"red","inner":{"n":1,"tags":["x","y"]}}"#,
        #"{"title":"a","count":null,"ratio":null,"inner":null}"#,
        #"{"title":"a","count":2.0,"small":127,"big":18446744073709551615}"#,
        #"{"title":"a","count":1e2,"ratio":-2.5e-3}"#,
        #"{"count":1}"#,
        #"{"title":null}"#,
        #"{"title":5}"#,
        #"{"title":"a","count":"3"}"#,
        #"{"title":"a","count":2.5}"#,
        #"{"title":"a","small":128}"#,
        #"{"title":"a","done":1}"#,
        #"{"title":"a","color":"green"}"#,
        #"{"title":"a","inner":{"tags":[]}}"#,
        #"{"title":"a","inner":{"n":1,"tags":["x",2]}}"#,
        #"{"title":"a","list":[{"n":1},{"n":"2"}]}"#,
        #"{"title":"a","list":[{"n":1},null]}"#,
        #"{"title":"a","list":{"n":1}}"#,
        #"{"title":"a","map":{"b":2,"a":1}}"#,
        #"{"title":"a","map":{"b":"x"}}"#,
        #"{"title":"a","extra":[1,{"deep":null}]}"#,
        #"[]"#, #""x""#, #"null"#, #"7"#,
    ]

    @Test("Decoding gives the value JSONDecoder gives, or fails with the same kind of error at the same coding path", arguments: inputs)
    func decoderMatchesFoundation(input: String) throws {
        let ours = Outcome { try JSONValueDecoder.decode(Sample.self, from: try JSONValue.parse(input)) }
        let foundation = Outcome { try JSONDecoder().decode(Sample.self, from: Data(input.utf8)) }
        #expect(ours == foundation, "\(input)")
    }

    @Test("Encoding writes what JSONEncoder writes with sorted keys, and keys in encoding order without")
    func encoderMatchesFoundation() throws {
        let samples = [
            Sample(title: "plain"),
            Sample(title: "q\"u/o\\te\n\u{01}é🌍", count: -3, ratio: 0.1, done: false, color: .blue,
                   inner: .init(n: 0, tags: []), list: [.init(n: 1, tags: nil), .init(n: 2, tags: ["z"])],
                   map: ["b": 2, "a": 1], small: -128, big: .max),
            Sample(title: "whole", ratio: 3),
        ]
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for sample in samples {
            let ours = try JSONValueEncoder.encode(sample, sortedKeys: true)
            let theirs = Array(try foundation.encode(sample))
            #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self))
            #expect(try JSONDecoder().decode(Sample.self, from: Data(ours)) == sample)
        }
        let ordered = try JSONValueEncoder.encode(Sample(title: "t", count: 1, done: true))
        #expect(String(decoding: ordered, as: UTF8.self) == #"{"title":"t","count":1,"done":true}"#)
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(Sample(title: "t", ratio: .infinity)) }
        #expect(String(decoding: try JSONValueEncoder.encode([1.5, 2, -0.25]), as: UTF8.self) == "[1.5,2,-0.25]")
        #expect(String(decoding: try JSONValueEncoder.encode("only"), as: UTF8.self) == #""only""#)
    }
}
