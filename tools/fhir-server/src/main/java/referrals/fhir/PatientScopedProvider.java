package referrals.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** HAPI's in-memory provider, plus the one search an EHR client needs: `?patient=Patient/<id>`. */
public class PatientScopedProvider<T extends IBaseResource> extends HashMapResourceProvider<T> {
  private final String patientPath;

  public PatientScopedProvider(FhirContext context, Class<T> type, String patientPath) {
    super(context, type);
    this.patientPath = patientPath;
  }

  @Search
  public synchronized List<T> searchByPatient(@RequiredParam(name = "patient") ReferenceParam patient) {
    String wanted = patient.getIdPart();
    return getAllResources().stream()
        .filter(
            r ->
                getFhirContext().newTerser().getValues(r, patientPath, IBaseReference.class).stream()
                    .anyMatch(ref -> wanted.equals(ref.getReferenceElement().getIdPart())))
        .toList();
  }
}
