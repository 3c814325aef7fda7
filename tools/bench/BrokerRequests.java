// The Kafka broker's own request counters, read over JMX from the running JVM (attach API, no broker setting):
// `java tools/bench/BrokerRequests.java <broker pid>` prints one JSON object:
//   {"cpu_ns": ..., "requests": {"Fetch": {"count": n, "time_ms": total}, ...}, "messages_in": n, "bytes_in": n,
//    "bytes_out": n}
// Counts are cumulative since the broker started; the bench reads them before and after its load.
import com.sun.tools.attach.VirtualMachine;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

public class BrokerRequests {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        String address = vm.startLocalManagementAgent();
        vm.detach();
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            Map<String, long[]> requests = new TreeMap<>();
            for (ObjectName name : jmx.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=TotalTimeMs,*"), null)) {
                long count = ((Number) jmx.getAttribute(name, "Count")).longValue();
                double mean = ((Number) jmx.getAttribute(name, "Mean")).doubleValue();
                long[] sum = requests.computeIfAbsent(name.getKeyProperty("request"), k -> new long[2]);
                sum[0] += count;
                sum[1] += Math.round(count * mean);
            }
            StringBuilder out = new StringBuilder("{\"cpu_ns\": ");
            out.append(jmx.getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "ProcessCpuTime"));
            out.append(", \"requests\": {");
            String sep = "";
            for (Map.Entry<String, long[]> e : requests.entrySet()) {
                if (e.getValue()[0] == 0) continue;
                out.append(sep).append('"').append(e.getKey()).append("\": {\"count\": ").append(e.getValue()[0])
                    .append(", \"time_ms\": ").append(e.getValue()[1]).append('}');
                sep = ", ";
            }
            out.append('}');
            for (String[] metric : new String[][] {{"messages_in", "MessagesInPerSec"}, {"bytes_in", "BytesInPerSec"},
                                                   {"bytes_out", "BytesOutPerSec"}}) {
                ObjectName name = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=" + metric[1]);
                out.append(", \"").append(metric[0]).append("\": ").append(jmx.getAttribute(name, "Count"));
            }
            System.out.println(out.append('}'));
        }
    }
}
