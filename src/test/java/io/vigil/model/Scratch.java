package io.vigil.model;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.NDArrayIndex;
public class Scratch {
  public static void main(String[] a) {
    for (Autoencoder ae : new Autoencoder[]{new SameDiffAutoencoder(AutoencoderSpec.of(3, 64)), new LayerAutoencoder(AutoencoderSpec.of(3, 64))}) {
    var x = Nd4j.rand(DataType.FLOAT, 256, 3, 64).subi(0.5);
    System.out.println(java.util.Arrays.toString(ae.reconstruct(x).shape()));
    for (int i=0;i<3;i++){ long t0=System.nanoTime(); ae.fitBatch(x); System.out.println("fit "+(System.nanoTime()-t0)/1e6+" ms"); }
    for (int bs : new int[]{1,32,256}) { var in = x.get(NDArrayIndex.interval(0,bs)).dup(); for(int i=0;i<5;i++) ae.reconstruct(in); long t0=System.nanoTime(); int n=20; for(int i=0;i<n;i++) ae.reconstruct(in); double s=(System.nanoTime()-t0)/1e9; System.out.println(ae.getClass().getSimpleName()+" batch "+bs+": "+(n*bs/s)+" windows/s"); }
    }
  }
}
