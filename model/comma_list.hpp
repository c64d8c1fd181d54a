#pragma once

// Lists in messages ("a, b, c"), as every refusal naming the valid choices writes them.

#include <functional>
#include <string>

namespace rekmock {

// Each item of `items` as `spell` writes it (a string, or a member pointer), joined with ", ".
template <typename Items, typename Spell = std::identity>
std::string comma_list(Items&& items, Spell spell = {}) {
    std::string out;
    for (const auto& item : items) {
        out.append(out.empty() ? "" : ", ").append(std::invoke(spell, item));
    }
    return out;
}

}  // namespace rekmock
