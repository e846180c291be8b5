import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { FunctionUrlAuthType, type IFunction, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type RouteRow, routeKey } from '../manifest';

export interface ApiProps {
  routes: RouteRow[];
  functions: Map<string, IFunction>;
  /** Origins allowed by CORS (the dashboard's). */
  origins: string[];
  /** Requests per second across the stage, and its burst. */
  throttle: { rate: number; burst: number };
  /**
   * Seconds the authorizer's answer is cached, keyed on the `Authorization` header. 0 (the
   * default) invokes the authorizer on every request, which is what lets `X-API-Key` work: with
   * an identity source, API Gateway rejects a request lacking that header before the authorizer
   * runs. A cache > 0 makes `Authorization: Bearer` mandatory.
   */
  authorizerCacheSeconds: number;
}

/**
 * The HTTP API: the Lambda authorizer (simple responses) on every keyed route, one Lambda
 * integration per route group, stage and per-route throttling, CORS and JSON access logs.
 * Functions serving a streaming route also get a response-streaming function URL (SSE), as
 * API Gateway buffers responses (it serves the long-poll form).
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  /** Response-streaming function URLs, by function name. */
  readonly streamingUrls = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const authorizerFn = props.functions.get('authorizer');
    const cached = props.authorizerCacheSeconds > 0;
    const authorizer = authorizerFn
      ? new HttpLambdaAuthorizer('ApiKeyAuthorizer', authorizerFn, {
          responseTypes: [HttpLambdaResponseType.SIMPLE],
          identitySource: cached ? ['$request.header.Authorization'] : [],
          resultsCacheTtl: Duration.seconds(props.authorizerCacheSeconds),
        })
      : undefined;
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Vigil API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.origins,
        allowHeaders: [
          'authorization',
          'content-type',
          'x-api-key',
          'idempotency-key',
          'if-match',
          'x-request-id',
        ],
        allowMethods: [CorsHttpMethod.ANY],
        exposeHeaders: ['etag', 'x-request-id', 'retry-after', 'location'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rate, burstLimit: props.throttle.burst },
    });
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        requestTime: '$context.requestTime',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
      }),
    };
    // RouteSettings is raw JSON in CloudFormation: keys are written as CloudFormation spells them.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of props.routes) {
      const fn = props.functions.get(route.function);
      if (!fn) throw new Error(`route ${routeKey(route)} names unknown function ${route.function}`);
      let integration = integrations.get(route.function);
      if (!integration) {
        // One invoke permission per function for this API, not one per route: a route group
        // serves dozens of routes, and per-route statements would outgrow the function's 20 KB
        // resource policy and the stack's 500-resource limit.
        integration = new HttpLambdaIntegration(`Integration-${route.function}`, fn, {
          scopePermissionToRoute: false,
        });
        integrations.set(route.function, integration);
      }
      this.httpApi.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration,
        authorizer: route.scope === 'none' ? undefined : authorizer,
      });
      if (route.rateLimit)
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: route.rateLimit,
          ThrottlingBurstLimit: route.rateLimit * 2,
        };
      if (route.streaming && !this.streamingUrls.has(route.function)) {
        // Signed (IAM) callers only: the key authorizer does not run in front of a function URL.
        const url = fn.addFunctionUrl({
          authType: FunctionUrlAuthType.AWS_IAM,
          invokeMode: InvokeMode.RESPONSE_STREAM,
        });
        this.streamingUrls.set(route.function, url.url);
      }
    }
    if (Object.keys(routeSettings).length) cfnStage.routeSettings = routeSettings;
  }
}
