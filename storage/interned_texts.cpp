#include "interned_texts.hpp"

#include <cstring>

namespace rekmock::storage {
namespace {

// Texts the cache holds at most; past it, it starts again empty. Stores hold a few dozen.
constexpr std::size_t kMaxCached = std::size_t{1} << 16;
// Ids the cache holds by position: beyond, a text is read from the store each time.
constexpr std::int64_t kMaxCachedId = std::int64_t{1} << 22;

// Eight bytes at a time, the last eight overlapping the others: the texts are short, and a bulk
// load hashes millions of them.
std::uint64_t hash_of(std::string_view text) noexcept {
    std::uint64_t hash = 0x9e3779b97f4a7c15ULL ^ text.size();
    const auto mix = [&](std::uint64_t bytes) {
        hash = (hash ^ bytes) * 0xff51afd7ed558ccdULL;
        hash ^= hash >> 32;
    };
    std::uint64_t bytes = 0;
    if (text.size() < sizeof bytes) {
        // An empty view may hold a null pointer, which memcpy must not be given even for 0 bytes.
        if (!text.empty()) {
            std::memcpy(&bytes, text.data(), text.size());
        }
        mix(bytes);
        return hash;
    }
    for (std::size_t at = 0; at + sizeof bytes < text.size(); at += sizeof bytes) {
        std::memcpy(&bytes, text.data() + at, sizeof bytes);
        mix(bytes);
    }
    std::memcpy(&bytes, text.data() + text.size() - sizeof bytes, sizeof bytes);
    mix(bytes);
    return hash;
}

}  // namespace

InternedTexts::InternedTexts(Database& db)
    : db_(db),
      find_(db, "SELECT id FROM texts WHERE text = ?1"),
      insert_(db, "INSERT INTO texts (text) VALUES (?1) RETURNING id"),
      read_(db, "SELECT text FROM texts WHERE id = ?1"),
      slots_(64) {
    sqlite3_rollback_hook(db_.handle(), &InternedTexts::rolled_back, this);
}

InternedTexts::~InternedTexts() {
    sqlite3_rollback_hook(db_.handle(), nullptr, nullptr);
}

void InternedTexts::rolled_back(void* self) noexcept {
    static_cast<InternedTexts*>(self)->forget();
}

void InternedTexts::forget() noexcept {
    by_id_.clear();
    slots_.assign(slots_.size(), Slot{});
    cached_ = 0;
}

std::optional<std::int64_t> InternedTexts::cached(std::string_view text, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = slots_[i];
        if (slot.id == 0) {
            return std::nullopt;
        }
        if (slot.hash == hash && *by_id_[static_cast<std::size_t>(slot.id)] == text) {
            return slot.id;
        }
    }
}

std::int64_t InternedTexts::remember(std::int64_t id, std::string_view text, std::uint64_t hash) {
    if (id <= 0 || id > kMaxCachedId) {
        return id;
    }
    if (cached_ == kMaxCached) {
        forget();
    }
    const auto position = static_cast<std::size_t>(id);
    if (position >= by_id_.size()) {
        by_id_.resize(position + 1);
    }
    if (by_id_[position]) {
        return id;
    }
    by_id_[position] = std::make_unique<const std::string>(text);
    if (2 * (cached_ + 1) > slots_.size()) {
        std::vector<Slot> old(slots_.size() * 2);
        old.swap(slots_);
        for (const Slot& slot : old) {
            if (slot.id != 0) {
                std::size_t i = slot.hash & (slots_.size() - 1);
                while (slots_[i].id != 0) {
                    i = (i + 1) & (slots_.size() - 1);
                }
                slots_[i] = slot;
            }
        }
    }
    std::size_t i = hash & (slots_.size() - 1);
    while (slots_[i].id != 0) {
        i = (i + 1) & (slots_.size() - 1);
    }
    slots_[i] = Slot{hash, id};
    ++cached_;
    return id;
}

std::optional<std::int64_t> InternedTexts::find(std::string_view text) {
    const std::uint64_t hash = hash_of(text);
    if (const auto id = cached(text, hash)) {
        return id;
    }
    StatementScope reset(find_);
    find_.bind_borrowed(1, text);
    if (!find_.step()) {
        return std::nullopt;
    }
    return remember(find_.column_int64(0), text, hash);
}

std::int64_t InternedTexts::intern(std::string_view text) {
    if (const auto id = find(text)) {
        return *id;
    }
    StatementScope reset(insert_);
    insert_.bind_borrowed(1, text);
    if (!insert_.step()) {
        throw StorageError("a text was not kept");
    }
    // SQLite makes every change of a statement with RETURNING in its first step.
    return remember(insert_.column_int64(0), text, hash_of(text));
}

const std::string& InternedTexts::text(std::int64_t id) {
    if (id > 0 && static_cast<std::uint64_t>(id) < by_id_.size()) {
        if (const auto& known = by_id_[static_cast<std::size_t>(id)]) {
            return *known;
        }
    }
    StatementScope reset(read_);
    read_.bind(1, id);
    if (!read_.step()) {
        throw StorageError("corrupt store: no text " + std::to_string(id));
    }
    const std::string_view text = read_.column_bytes(0);
    remember(id, text, hash_of(text));
    if (id > 0 && static_cast<std::uint64_t>(id) < by_id_.size()) {
        if (const auto& known = by_id_[static_cast<std::size_t>(id)]) {
            return *known;
        }
    }
    uncached_.assign(text);  // beyond what the cache holds
    return uncached_;
}

}  // namespace rekmock::storage
