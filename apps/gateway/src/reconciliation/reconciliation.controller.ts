import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import {
  CreateReportDto,
  ListReportsQueryDto,
  ReportDetailDto,
  ReportDto,
  ReportIdParamDto,
  ReportItemsQueryDto,
  ReportListDto,
  ReportItemDto,
} from './reconciliation.dto';
import { ReconciliationService } from './reconciliation.service';
import { HttpErrorCode } from '../http/http-error-codes';
import { ReconciliationErrorCode } from './reconciliation-errors';

const error = (statusCode: number, code: string, message: string) => ({
  schema: {
    example: {
      statusCode,
      error: statusCode === 400 ? 'BAD_REQUEST' : statusCode === 404 ? 'NOT_FOUND' : 'CONFLICT',
      code,
      message,
      requestId: 'b0e7c1d2-8f6a-4a8e-9d1c-2f3e4a5b6c7d',
    },
  },
});
const NOT_FOUND = error(404, ReconciliationErrorCode.REPORT_NOT_FOUND, 'No reconciliation report 6f1c2a9e-1d7b-4a51-9e0e-3a1b2c3d4e5f');
const BAD_ID = error(400, HttpErrorCode.VALIDATION_FAILED, 'id must be a report id (a UUID)');

@ApiTags('Reconciliation')
@AdminOnly()
@Controller('reconciliation/reports')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get()
  @ApiOperation({
    summary: 'List reconciliation reports',
    description:
      'Newest first. Each report compares our books with Netzme for one Jakarta day; `counts` tells matched pairs, differences still in flight and real mismatches.',
  })
  @ApiOkResponse({ type: ReportListDto })
  @ApiBadRequestResponse(error(400, HttpErrorCode.VALIDATION_FAILED, 'date must be a calendar date written YYYY-MM-DD, e.g. 2026-11-20'))
  async list(@Query() query: ListReportsQueryDto): Promise<ReportListDto> {
    const page = await this.reconciliation.listRuns({ date: query.date, status: query.status, limit: query.limit ?? 20, cursor: query.cursor });
    return { items: page.items.map((run) => ReportDto.from(run)), nextCursor: page.nextCursor };
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Reconcile a chosen day now',
    description:
      'Starts a report for a Jakarta day (today or earlier) and answers at once with it in status RUNNING; read GET /reconciliation/reports/{id} until it is COMPLETED (or FAILED, with the error). ' +
      'A day may be reconciled as often as you like (each run is its own report); only one run per day may be in progress at a time. ' +
      'The daily job makes yesterday’s report by itself after midnight.',
  })
  @ApiAcceptedResponse({ type: ReportDto, description: 'The report, being made' })
  @ApiBadRequestResponse(error(400, ReconciliationErrorCode.DATE_IN_FUTURE, '2026-12-01 has not started yet in Jakarta (today is 2026-11-21)'))
  @ApiConflictResponse(error(409, ReconciliationErrorCode.RUNNING, 'A report for 2026-11-20 is being made right now (6f1c2a9e-…); wait for it or read it'))
  async create(@Body() body: CreateReportDto): Promise<ReportDto> {
    return ReportDto.from(await this.reconciliation.requestRun(body.date));
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: 'Report id' })
  @ApiOperation({
    summary: 'One reconciliation report with its items',
    description:
      'The report and a page of its items (oldest first), filtered by `kind` (MATCHED, ONLY_OURS, ONLY_NETZME, AMOUNT_MISMATCH, STATUS_MISMATCH), `source` and `inFlight`. ' +
      'Use `inFlight=false&kind=...` to see what needs a person; in-flight items are differences expected to resolve by themselves.',
  })
  @ApiOkResponse({ type: ReportDetailDto })
  @ApiBadRequestResponse(BAD_ID)
  @ApiNotFoundResponse(NOT_FOUND)
  async get(@Param() params: ReportIdParamDto, @Query() query: ReportItemsQueryDto): Promise<ReportDetailDto> {
    const run = await this.reconciliation.getRun(params.id);
    const page = await this.reconciliation.listItems(run.id, {
      kind: query.kind,
      source: query.source,
      inFlight: query.inFlight === undefined ? undefined : query.inFlight === 'true',
      limit: query.limit ?? 200,
      cursor: query.cursor,
    });
    return { ...ReportDto.from(run), items: page.items.map((item) => ReportItemDto.from(item)), nextCursor: page.nextCursor };
  }

  @Get(':id/csv')
  @ApiParam({ name: 'id', description: 'Report id' })
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Download a report as CSV',
    description:
      'Every item of the report, one line each (RFC 4180, CRLF, UTF-8), amounts as decimal strings. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.',
  })
  @ApiOkResponse({
    description: 'CSV file',
    content: {
      'text/csv': {
        example: 'report_id,date,source,kind,in_flight,reference,our_id,our_status,our_amount,our_at,netzme_id,netzme_status,netzme_amount,netzme_at,note\r\n',
      },
    },
  })
  @ApiBadRequestResponse(BAD_ID)
  @ApiNotFoundResponse(NOT_FOUND)
  async csv(@Param() params: ReportIdParamDto): Promise<StreamableFile> {
    const run = await this.reconciliation.getRun(params.id);
    return new StreamableFile(this.reconciliation.csv(run), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="reconciliation-${run.businessDate}-${run.id.slice(0, 8)}.csv"`,
    });
  }
}
