#pragma once

// Routing by table: rows of (method, path pattern) -> handler, so an endpoint is added by one
// row. A pattern such as "/_mock/jobs/{JobId}/status" has literal and parameter segments; request
// targets are percent-decoded ('+' is a space, as in HTML forms).

#include <boost/beast/http/verb.hpp>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rekmock::control {

// Decoded parameters by name: a path's or a query's.
using Params = std::map<std::string, std::string, std::less<>>;

struct RequestTarget {
    std::string path;
    // The path split at '/' before decoding, so an encoded '/' stays inside its segment.
    std::vector<std::string> segments;
    Params query;  // a name without '=' has the value ""; empty pairs ("&&") are skipped
};

// `text` split at every `separator`, as is (an empty text is one empty part).
std::vector<std::string_view> split(std::string_view text, char separator);

// Parses a request target; std::nullopt when its percent-encoding is malformed.
std::optional<RequestTarget> parse_target(std::string_view target);

class PathPattern {
  public:
    // Implicit, so a route table reads as rows of literals. "{Name}" is a parameter segment.
    PathPattern(const char* pattern);  // NOLINT(google-explicit-constructor)

    // The parameters if decoded path `segments` match; a parameter takes any one segment, even
    // an empty one (the endpoint says what it lacks).
    std::optional<Params> match(std::span<const std::string> segments) const;

  private:
    std::vector<std::string> segments_;
};

template <typename Handler>
class RouteTable {
  public:
    struct Route {
        boost::beast::http::verb method;
        PathPattern path;
        Handler handler;
    };

    struct Match {
        const Handler* handler = nullptr;  // null when no row has this method and path
        Params params;
        std::vector<boost::beast::http::verb> allowed;  // the path's methods; none: unknown path
    };

    explicit RouteTable(std::vector<Route> routes) : routes_(std::move(routes)) {}

    // The first row of `method` whose pattern matches, and every method of the path in row order.
    Match match(boost::beast::http::verb method, std::span<const std::string> segments) const {
        Match found;
        for (const Route& route : routes_) {
            auto params = route.path.match(segments);
            if (params) {
                found.allowed.push_back(route.method);
            }
            if (params && route.method == method && found.handler == nullptr) {
                found.handler = &route.handler;
                found.params = std::move(*params);
            }
        }
        return found;
    }

  private:
    std::vector<Route> routes_;
};

}  // namespace rekmock::control
