package referrals.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.validation.FhirValidator;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * The EHR's FHIR R4 endpoint as the tests see it, at /fhir, and the HL7 instance validator at
 * POST /validate (a resource in, an OperationOutcome out). Usage: TestFhirServer <port>; prints
 * "listening <port>" once both answer.
 */
public class TestFhirServer {
  public static void main(String[] args) throws Exception {
    FhirContext context = FhirContext.forR4();

    RestfulServer fhir = new RestfulServer(context);
    fhir.setDefaultResponseEncoding(EncodingEnum.JSON);
    fhir.setResourceProviders(
        List.of(
            new PatientProvider(context),
            new PatientScopedProvider<>(context, Coverage.class, "Coverage.beneficiary"),
            new PatientScopedProvider<>(context, Condition.class, "Condition.subject"),
            new PatientScopedProvider<>(context, QuestionnaireResponse.class, "QuestionnaireResponse.subject"),
            new PatientScopedProvider<>(context, Observation.class, "Observation.subject"),
            new PatientScopedProvider<>(context, DocumentReference.class, "DocumentReference.subject"),
            // Attachments by URL: read back as their raw bytes when asked for anything but FHIR.
            new HashMapResourceProvider<>(context, Binary.class)));

    FhirValidator validator = context.newValidator();
    ValidationSupportChain support =
        new ValidationSupportChain(
            new DefaultProfileValidationSupport(context),
            new CommonCodeSystemsTerminologyService(context),
            new InMemoryTerminologyServerValidationSupport(context),
            new SnapshotGeneratingValidationSupport(context));
    validator.registerValidatorModule(new FhirInstanceValidator(support));

    HttpServlet validate =
        new HttpServlet() {
          @Override
          protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String outcome =
                context.newJsonParser().encodeResourceToString(validator.validateWithResult(body).toOperationOutcome());
            res.setContentType("application/fhir+json");
            res.getOutputStream().write(outcome.getBytes(StandardCharsets.UTF_8));
          }
        };

    ServletContextHandler handler = new ServletContextHandler();
    handler.addServlet(new ServletHolder(fhir), "/fhir/*");
    handler.addServlet(new ServletHolder(validate), "/validate");
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(Integer.parseInt(args[0]));
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    // Loads the R4 definitions now, so the first test's validation does not pay for it.
    validator.validateWithResult("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"warm-up\"}}");
    System.out.println("listening " + connector.getLocalPort());
    server.join();
  }
}
