// Parley's stand-in for ankerl::unordered_dense (https://github.com/martinus/unordered_dense),
// which Debian 12 does not package. The mediasoup worker uses only map, set and hash from it, in
// ways the standard unordered containers also support (find, emplace, erase, iteration, operator[],
// custom hash and equality types), so they are mapped onto std::unordered_map/std::unordered_set.
// Differences that do not matter to the worker: the standard containers are node-based (a little
// slower, stable references) and do not iterate in insertion order.
#ifndef PARLEY_ANKERL_UNORDERED_DENSE_H
#define PARLEY_ANKERL_UNORDERED_DENSE_H

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	template<class Key>
	struct hash : std::hash<Key>
	{
	};

	template<
	  class Key,
	  class T,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

	template<
	  class Key,
	  class Hash      = hash<Key>,
	  class KeyEqual  = std::equal_to<Key>,
	  class Allocator = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;
} // namespace ankerl::unordered_dense

#endif
