import Testing
@testable import TodoHTTP

// MARK: - SSEFrameQueue

@Suite("SSE frame queue")
struct SSEFrameQueueTests {
    @Test("Frames queued while the writer is busy come out together, in order; then nil after finish")
    func coalesces() async {
        let queue = SSEFrameQueue()
        queue.append(Array("a".utf8))
        queue.append(Array("b".utf8))
        queue.append(Array("c".utf8))
        #expect(await queue.next() == Array("abc".utf8))
        queue.append(Array("d".utf8))
        queue.finish()
        queue.append(Array("ignored".utf8))
        #expect(await queue.next() == Array("d".utf8))
        #expect(await queue.next() == nil)
    }

    @Test("A waiting writer gets the next frame as soon as it is appended")
    func wakesWaiter() async {
        let queue = SSEFrameQueue()
        async let first = queue.next()
        // The waiter may or may not be parked yet: either way it receives the frame.
        queue.append(Array("x".utf8))
        #expect(await first == Array("x".utf8))
        async let end = queue.next()
        queue.finish()
        #expect(await end == nil)
    }

    @Test("Cancelling the waiting writer ends the queue")
    func cancellation() async {
        let queue = SSEFrameQueue()
        let writer = Task { await queue.next() }
        writer.cancel()
        #expect(await writer.value == nil)
        #expect(await queue.next() == nil)
    }
}
