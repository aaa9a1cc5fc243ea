package io.vigil.model;
import io.vigil.simulator.*;
import io.vigil.topology.*;
import io.vigil.reading.DeviceSeries;
import java.nio.file.Path;
import java.util.*;
public class Scratch {
  public static void main(String[] a) throws Exception {
    var topo = TopologyLoader.load(Path.of("topologies/vibration.yaml"));
    var healthy = Fleet.of(ScenarioLoader.load(Path.of("simulator/healthy.yaml"))).generate(0L);
    var s = Trainer.Settings.defaults(topo).withEpochs(Integer.parseInt(a[0])).withMaxTrainWindows(Integer.parseInt(a[1]));
    s = s.withSpec(new AutoencoderSpec(3, 64, Integer.parseInt(a[2]), Integer.parseInt(a[3]), Double.parseDouble(a[4]), 42));
    var bundle = new Trainer(topo, s, r -> System.out.println(r)).train(healthy, List.of("healthy"));
    System.out.println(bundle.metadata().calibration());
    var scorer = bundle.scorer();
    var faults = Fleet.of(ScenarioLoader.load(Path.of("simulator/faults.yaml"))).generate(0L);
    var shape = Windower.Shape.of(topo);
    for (DeviceSeries d : faults) {
      var ws = Windows.cut(d, shape);
      var sc = scorer.score(ws);
      int over=0, overH=0, nH=0, nB=0; double maxH=0, minB=1e9;
      StringBuilder first = new StringBuilder();
      for (int i=0;i<ws.size();i++){ double t=(ws.get(i).endMs())/1000.0; boolean faulty = t>60; double v=sc.get(i).score();
        if (!faulty){nH++; if (v>bundle.metadata().threshold()) overH++; maxH=Math.max(maxH,v);} else {nB++; if (v>bundle.metadata().threshold()) { over++; if (first.length()==0) first.append(t);} minB=Math.min(minB,v);} }
      System.out.printf("%s healthy %d/%d over (max %.4f)  after60 %d/%d over (min %.4f) first@%s%n", d.device(), overH,nH,maxH, over,nB,minB, first);
    }
  }
}
