package io.github.kafkamailer.topology;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store in a sorted map, in the stores' key order, that notes where each range read started: what
 * a unit test needs to see that a read skips what was deleted. Only the methods the mailer's store wrappers call.
 */
final class SortedTestStore<V> {
    final NavigableMap<String, V> map = new TreeMap<>(KeyFloor::compare);
    final List<String> rangeStarts = new ArrayList<>();
    int fullScans;
    int gets;
    private final String name;

    SortedTestStore() {
        this("test-store");
    }

    /** @param name the store's name, for a processor that finds it by name (a MockProcessorContext) */
    SortedTestStore(String name) {
        this.name = name;
    }

    @SuppressWarnings("unchecked")
    KeyValueStore<String, V> store() {
        return (KeyValueStore<String, V>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> {
                        gets++;
                        yield map.get((String) args[0]);
                    }
                    case "name" -> name;
                    case "persistent" -> false;
                    case "isOpen" -> true;
                    case "flush", "close" -> null;
                    case "put" -> {
                        map.put((String) args[0], (V) args[1]);
                        yield null;
                    }
                    case "delete" -> map.remove((String) args[0]);
                    case "range" -> {
                        rangeStarts.add((String) args[0]);
                        yield iterator(map.subMap((String) args[0], true, (String) args[1], true));
                    }
                    case "prefixScan" -> {
                        String prefix = (String) args[0];
                        yield iterator(map.subMap(prefix, true, prefix + Character.MAX_VALUE, false));
                    }
                    case "all" -> {
                        fullScans++;
                        yield iterator(map);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private KeyValueIterator<String, V> iterator(Map<String, V> view) {
        Iterator<Map.Entry<String, V>> it = new ArrayList<>(view.entrySet()).iterator();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<String, V> next() {
                Map.Entry<String, V> e = it.next();
                return KeyValue.pair(e.getKey(), e.getValue());
            }

            @Override
            public void close() {
            }

            @Override
            public String peekNextKey() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
