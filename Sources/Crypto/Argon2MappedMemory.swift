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
enum Argon2MappedMemory {
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
        let pages = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let pages, pages != MAP_FAILED else { return -1 }
        mappingsMade.add(1, ordering: .relaxed)
        bytesMapped.add(size, ordering: .relaxed)
        memory.pointee = pages.assumingMemoryBound(to: UInt8.self)
        return 0
    }

    /// `deallocate_fptr`: libargon2 passes back the size it asked for (after wiping the block).
    static func release(_ memory: UnsafeMutablePointer<UInt8>?, _ size: Int) {
        guard let memory else { return }
        // munmap fails only for an address or size we did not map: a bug, not a runtime condition.
        precondition(munmap(memory, size) == 0, "munmap of Argon2 memory failed")
        bytesMapped.subtract(size, ordering: .relaxed)
    }
}
