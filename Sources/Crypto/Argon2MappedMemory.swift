internal import Glibc
import Synchronization

/// Where Argon2's working memory comes from: anonymous `mmap` pages, given back with `munmap` as
/// soon as the hash is done.
///
/// With `malloc`, glibc keeps a freed 19 MiB block in the heap and a worker's RSS stays ~19 MiB
/// higher for ever after its first hash (measured with php-fpm: 6 MB → 35 MB). Unmapping returns
/// the pages to the kernel at once. libargon2 calls these through `argon2_context.allocate_cbk` /
/// `free_cbk`, which are plain C function pointers, so they keep their state in atomics instead of
/// capturing anything.
///
/// The block is aligned to 2 MiB and advised as huge pages (`MADV_HUGEPAGE`), which transparent
/// huge pages honour even in their default `madvise` mode: a fresh 19 MiB mapping otherwise
/// faults in 4,864 small pages per hash, ~10 ms of kernel time on a 30 ms hash (measured with
/// `perf stat`, 20 hashes: 0.18-0.23 s system time with small pages, 0.03-0.07 s with huge pages,
/// 0.015-0.02 s for malloc's reused heap block, which never gives the memory back).
enum Argon2MappedMemory {
    static let hugePageSize = 2 << 20

    /// Mappings made through `allocate` since the process started. Tests read it to prove the
    /// callbacks are really used.
    static let mappingsMade = Atomic<Int>(0)
    /// Bytes currently mapped for Argon2: zero whenever no hash is running.
    static let bytesMapped = Atomic<Int>(0)

    /// `allocate_fptr`: stores the mapping in `*memory`, or NULL (libargon2 then reports
    /// `ARGON2_MEMORY_ALLOCATION_ERROR`; it ignores the return value).
    static func allocate(_ memory: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?, _ size: Int) -> Int32 {
        guard let memory else { return -1 }
        memory.pointee = nil
        guard size > 0 else { return -1 }
        guard let pages = mapAligned(size) else { return -1 }
        mappingsMade.add(1, ordering: .relaxed)
        bytesMapped.add(size, ordering: .relaxed)
        memory.pointee = pages.assumingMemoryBound(to: UInt8.self)
        return 0
    }

    /// Blocks of at least one huge page start on a huge-page boundary: mapped one huge page
    /// larger, then the unaligned head and the surplus tail are unmapped again, so `release`
    /// unmaps exactly `size` bytes as before.
    static func mapAligned(_ size: Int) -> UnsafeMutableRawPointer? {
        guard size >= hugePageSize else {
            let pages = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            return pages == MAP_FAILED ? nil : pages
        }
        let span = size + hugePageSize
        guard let raw = mmap(nil, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), raw != MAP_FAILED else { return nil }
        let head = (hugePageSize - Int(bitPattern: raw) % hugePageSize) % hugePageSize
        let block = raw + head
        if head > 0 { munmap(raw, head) }
        munmap(block + size, span - head - size)
        // Advice only: where transparent huge pages are off the block is simply small pages.
        _ = madvise(block, size, MADV_HUGEPAGE)
        return block
    }

    /// `deallocate_fptr`: libargon2 passes back the size it asked for (after wiping the block).
    static func release(_ memory: UnsafeMutablePointer<UInt8>?, _ size: Int) {
        guard let memory else { return }
        // munmap fails only for an address or size we did not map: a bug, not a runtime condition.
        precondition(munmap(memory, size) == 0, "munmap of Argon2 memory failed")
        bytesMapped.subtract(size, ordering: .relaxed)
    }
}
